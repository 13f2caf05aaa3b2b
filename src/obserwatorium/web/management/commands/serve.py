from django.conf import settings
from django.core.management.base import BaseCommand
from waitress import serve

from obserwatorium.wsgi import application


def proxy_options() -> dict:
    """Waitress options for a reverse proxy (OBS_BEHIND_PROXY): believe only its X-Forwarded-* headers."""
    if not settings.BEHIND_PROXY:
        return {}
    # Waitress rewrites REMOTE_ADDR and the URL scheme from the trusted proxy's headers and drops the same
    # headers from any other peer, so a client reaching the port directly cannot pose as HTTPS or another address.
    return {"trusted_proxy": settings.TRUSTED_PROXY, "trusted_proxy_count": 1,
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto", "clear_untrusted_proxy_headers": True}


class Command(BaseCommand):
    help = "Serve the site with waitress (a production WSGI server) at HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host="127.0.0.1", port=8000, threads=8, **options):
        self.stdout.write(f"Obserwatorium: http://{host}:{port}/")
        serve(application, host=host, port=port, threads=threads, **proxy_options())
