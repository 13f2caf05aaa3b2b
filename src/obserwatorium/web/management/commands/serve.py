from django.core.management.base import BaseCommand
from waitress import serve

from obserwatorium.wsgi import application


class Command(BaseCommand):
    help = "Serve the site with waitress (a production WSGI server) at HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host="127.0.0.1", port=8000, threads=8, **options):
        self.stdout.write(f"Obserwatorium: http://{host}:{port}/")
        serve(application, host=host, port=port, threads=threads)
