"""`obserwatorium serve`: waitress in front of the site, with the site's request body limit."""

from io import BytesIO

from django.conf import settings
from django.core.management.base import BaseCommand
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from obserwatorium.wsgi import application


def proxy_options() -> dict:
    """Waitress options for a reverse proxy (OBS_BEHIND_PROXY): believe only its X-Forwarded-* headers."""
    if not settings.BEHIND_PROXY:
        return {}
    # Waitress rewrites REMOTE_ADDR and the URL scheme from the trusted proxy's headers and drops the same
    # headers from any other peer, so a client reaching the port directly cannot pose as HTTPS or another address.
    return {"trusted_proxy": settings.TRUSTED_PROXY, "trusted_proxy_count": 1,
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto", "clear_untrusted_proxy_headers": True}


class RefusalTask(WSGITask):
    """Waitress stops receiving a body at the limit (a declared length at once, a chunked body when it gets
    there); the site then answers in its own words, JSON or page, from the headers alone."""

    def execute(self):
        if not isinstance(self.request.error, RequestEntityTooLarge):
            return ErrorTask.execute(self)
        self.set_close_on_finish()
        return super().execute()

    def get_environment(self):
        environ = super().get_environment()
        request = self.request
        environ["CONTENT_LENGTH"] = str(max(request.content_length, request.body_bytes_received,
                                            settings.MAX_REQUEST_BODY + 1))
        environ["wsgi.input"] = BytesIO()
        return environ


class LimitedChannel(HTTPChannel):
    # A WSGI task that also answers the too-large body waitress reports as an error (see RefusalTask).
    error_task_class = RefusalTask  # type: ignore[assignment]


class Command(BaseCommand):
    help = "Serve the site with waitress (a production WSGI server) at HOST:PORT."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
        parser.add_argument("--threads", type=int, default=8,
                            help="worker threads answering requests at the same time (default: 8)")

    def handle(self, *args, host="127.0.0.1", port=8000, threads=8, **options):
        # Waitress refuses a body of max_request_body_size bytes or more; the site refuses more than its limit.
        server = create_server(application, host=host, port=port, threads=threads,
                               max_request_body_size=settings.MAX_REQUEST_BODY + 1, **proxy_options())
        server.channel_class = LimitedChannel
        self.stdout.write(f"Obserwatorium: http://{host}:{port}/")
        server.run()
