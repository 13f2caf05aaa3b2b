"""What the benchmarks that start a server share: waiting until it answers."""

from __future__ import annotations

import subprocess
import time


def answering(server: subprocess.Popen, address: str, name: str, *, tries: int, every: float = 0.1
              ) -> subprocess.Popen:
    """The server, once `address` answers (every `every` seconds, `tries` times); else killed, with its last
    words (its stderr, when piped)."""
    import httpx

    for _ in range(tries):
        try:
            httpx.get(address, timeout=2)
            return server
        except httpx.TransportError:
            if server.poll() is not None:
                break
            time.sleep(every)
    server.kill()
    words = (server.stderr.read() or b"").decode()[-2000:] if server.stderr else ""
    raise SystemExit(f"{name} did not start: {words}")
