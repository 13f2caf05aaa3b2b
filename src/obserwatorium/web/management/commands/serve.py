"""`obserwatorium serve`: waitress in front of the site, with the site's request body limit, in one worker process
per core (web.prefork)."""

import gc
import os
import socket
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from obserwatorium.web.prefork import Master, bind_sockets, run_worker
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


def build_server(**where: Any) -> BaseWSGIServer | MultiSocketServer:
    """The site's waitress server, at host and port or on sockets already bound."""
    # Waitress refuses a body of max_request_body_size bytes or more; the site refuses more than its limit.
    server = create_server(application, max_request_body_size=settings.MAX_REQUEST_BODY + 1, **where,
                           **proxy_options())
    # A host name of IPv4 and IPv6 addresses gives one server per socket, under a MultiSocketServer.
    listeners: list[Any] = list((server.map or {}).values()) if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = LimitedChannel
    return server


def freeze_startup_objects() -> None:
    """Move what start-up made (the application, its modules, URLs and templates: some 235,000 objects) out of
    the garbage collector's sight: a full collection then walks only what requests make, instead of pausing a
    request for all of them every few requests, and the workers forked after it keep those pages shared."""
    gc.collect()
    gc.freeze()


def _url(sockets: list[socket.socket]) -> str:
    host, port = sockets[0].getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Serve the site with waitress (a production WSGI server) at HOST:PORT, in one process per core."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes, each with its own threads (default: one per core; 1 serves "
                                 "in this process)")
        parser.add_argument("--threads", type=int, default=8,
                            help="threads of each worker answering requests at the same time (default: 8)")

    def handle(self, *args, host="127.0.0.1", port=8000, workers=None, threads=8, **options):
        workers = (os.cpu_count() or 1) if workers is None else workers
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if workers == 1:
            server = build_server(host=host, port=port, threads=threads)
            self._say(f"Obserwatorium: http://{host}:{port}/ (1 process, {threads} threads)")
            freeze_startup_objects()
            server.run()
            return
        sockets = bind_sockets(host=host, port=port)
        # A connection opened here (the command's check of the database) must not be shared by the workers.
        connections.close_all()

        def serve() -> None:
            run_worker(build_server(sockets=sockets, threads=threads), sockets)

        self._say(f"Obserwatorium: {_url(sockets)} ({workers} worker processes, {threads} threads each)")
        freeze_startup_objects()
        Master(workers=workers, serve=serve, say=self._say).run()
        for sock in sockets:
            sock.close()
        self._say("Obserwatorium: stopped")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
