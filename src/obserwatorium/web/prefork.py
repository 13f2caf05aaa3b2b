"""Pre-forked worker processes around waitress: one listening socket, N processes accepting on it.

Python runs one thread of a process at a time (the GIL), so a single waitress process answers on one core
however many threads it has. The master binds the socket once, forks the workers (each a complete waitress
server on the inherited socket, with its own threads), replaces a worker that dies, waiting longer each time
one dies soon after it started, and on SIGTERM or SIGINT lets every worker finish the requests it has begun.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer

# A worker stops accepting at once and has this long to finish the requests it is answering.
GRACE_SECONDS = 20
# A worker that dies sooner than this after starting is restarted after a back-off (0.5 s, doubling, at most 30 s).
STEADY_SECONDS = 10
MAX_BACKOFF_SECONDS = 30.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
MASTER_SIGNALS = {*STOP_SIGNALS, signal.SIGCHLD}

Server = BaseWSGIServer | MultiSocketServer


def bind_sockets(*, host: str, port: int) -> list[socket.socket]:
    """The listening sockets for HOST:PORT, resolved as waitress resolves them (a name may give IPv4 and IPv6)."""
    sockets = []
    resolved: list[tuple[Any, ...]] = Adjustments(host=host, port=port).listen  # type: ignore[assignment]
    for family, socktype, proto, address in resolved:
        sock = socket.socket(family, socktype, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(1024)
        sockets.append(sock)
    return sockets


def _in_flight(server_map: dict) -> bool:
    """Whether a connection has a request being received, answered or sent (an idle keep-alive one has none)."""
    return any(isinstance(channel, HTTPChannel)
               and (channel.request is not None or channel.requests or channel.total_outbufs_len)
               for channel in list(server_map.values()))


def run_worker(server: Server, sockets: list[socket.socket]) -> None:
    """Serve until SIGTERM or SIGINT (or the master's end), then stop accepting and finish the requests begun
    (GRACE_SECONDS at most)."""
    stopping: list[float] = []

    def stop(signum, frame):
        if not stopping:
            stopping.append(time.monotonic() + GRACE_SECONDS)

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    adj = server.adj
    server_map: dict = server.map if isinstance(server, MultiSocketServer) else server._map  # type: ignore[attr-defined, assignment]
    master = os.getppid()
    while not stopping:
        wasyncore.loop(timeout=adj.asyncore_loop_timeout, map=server_map, use_poll=True, count=1)
        if os.getppid() != master:  # the master was killed outright: no worker outlives it
            stop(signal.SIGTERM, None)
    # Stop accepting: the other workers (or the next server) take the new connections.
    for channel in list(server_map.values()):
        if isinstance(channel, BaseWSGIServer):
            wasyncore.dispatcher.close(channel)
    for sock in sockets:
        sock.close()
    while _in_flight(server_map) and time.monotonic() < stopping[0]:
        wasyncore.loop(timeout=0.1, map=server_map, use_poll=True, count=1)
    server.task_dispatcher.shutdown(timeout=max(0, math.ceil(stopping[0] - time.monotonic())))
    wasyncore.close_all(server_map)


@dataclass
class Slot:
    """One worker place: its current process and how quickly its last processes died."""

    number: int
    pid: int = 0
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float = field(default=0.0)

    def backoff(self) -> float:
        return 0.0 if not self.quick_deaths else min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (self.quick_deaths - 1))


class Master:
    """Forks the workers, replaces those that die, stops them all on SIGTERM or SIGINT."""

    def __init__(self, *, workers: int, serve: Callable[[], None], say: Callable[[str], None]):
        self.slots = [Slot(number) for number in range(1, workers + 1)]
        self.serve = serve
        self.say = say

    def run(self) -> None:
        """Supervise until told to stop; returns once every worker has exited."""
        signal.pthread_sigmask(signal.SIG_BLOCK, MASTER_SIGNALS)
        try:
            for slot in self.slots:
                self._start(slot)
            while True:
                now = time.monotonic()
                waiting = [slot.restart_at - now for slot in self.slots if not slot.pid]
                received = signal.sigtimedwait(MASTER_SIGNALS, max(0.05, min(waiting, default=1.0)))
                if received is not None and received.si_signo in STOP_SIGNALS:
                    break
                self._reap()
                for slot in self.slots:
                    if not slot.pid and time.monotonic() >= slot.restart_at:
                        self._start(slot)
            self._stop_all()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, MASTER_SIGNALS)

    def pids(self) -> list[int]:
        return [slot.pid for slot in self.slots if slot.pid]

    def _start(self, slot: Slot) -> None:
        pid = os.fork()
        if pid == 0:
            self._worker_process()
        slot.pid, slot.started = pid, time.monotonic()
        self.say(f"worker {slot.number} started (pid {pid})")

    def _worker_process(self) -> None:
        status = 0
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, MASTER_SIGNALS)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            self.serve()
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)  # never return into the master's code, nor run its exit handlers

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for slot in self.slots:
                if slot.pid == pid:
                    self._died(slot, status)

    def _died(self, slot: Slot, status: int) -> None:
        uptime = time.monotonic() - slot.started
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"status {os.waitstatus_to_exitcode(status)}")
        slot.quick_deaths = slot.quick_deaths + 1 if uptime < STEADY_SECONDS else 0
        self.say(f"worker {slot.number} (pid {slot.pid}) ended with {how} after {uptime:.0f} s; "
                 f"restarting in {slot.backoff():.1f} s")
        slot.pid, slot.restart_at = 0, time.monotonic() + slot.backoff()

    def _stop_all(self) -> None:
        for pid in self.pids():
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS + 5
        while self.pids() and time.monotonic() < deadline:
            for slot in self.slots:
                if slot.pid:
                    pid, _ = os.waitpid(slot.pid, os.WNOHANG)
                    if pid:
                        slot.pid = 0
            time.sleep(0.05)
        for pid in self.pids():  # past the grace period: end it
            _signal(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
