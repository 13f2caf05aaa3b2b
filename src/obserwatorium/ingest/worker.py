"""Files are parsed in a worker process with a memory and a time cap, so that no file takes the server down.

The spreadsheet library allocates what a file declares and aborts the whole process when it cannot; the web
server must never be that process. The worker is forked from a small server process that imported the
readers once (multiprocessing's forkserver), so a file costs a fork, not an interpreter start. The worker
checks the declared sizes, reads the grid and sends it back, or sends the refusal; when it dies (memory) or
overruns (time), the caller gets a refusal naming the limit. This module needs no Django: the caller passes
the bytes and the limits, wherever the file is stored.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from multiprocessing.connection import Connection

from obserwatorium.ingest.inspection import ReadLimits, check_workbook
from obserwatorium.ingest.readers import SPREADSHEET_MAGIC, Grid, UnreadableFile, read_grid

# Delimited text holds no compression and no declared extent: what it can make the reader hold is a small
# multiple of its size, so a small text file is read in the calling process and spares the fork.
INLINE_TEXT_BYTES = 1 << 20

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["obserwatorium.ingest.worker"])
_start_lock = threading.Lock()


def _read_capped(connection: Connection, content: bytes, sheet: str | None, limits: ReadLimits) -> None:
    """The worker: cap memory and processor time, then check and read; the answer goes through the pipe."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    try:
        check_workbook(content, limits)
        grid = read_grid(content, sheet=sheet)
        connection.send(("grid", grid.frame, grid.info))
    except UnreadableFile as error:
        connection.send(("refused", error.code, {**error.params, "row": error.row}))
    except MemoryError:
        connection.send(("refused", "memory_limit", {"limit": str(limits.memory_bytes >> 20)}))
    except Exception as error:  # noqa: BLE001 - whatever the library raised, the file is what cannot be read
        connection.send(("refused", "file_unreadable", {"detail": str(error).splitlines()[0] if str(error) else ""}))
    finally:
        connection.close()


def read_grid_isolated(content: bytes, *, sheet: str | None, limits: ReadLimits) -> Grid:
    """The grid of a file, read within `limits`; raises UnreadableFile with the reason or the limit reached."""
    if len(content) <= INLINE_TEXT_BYTES and not content.startswith(SPREADSHEET_MAGIC):
        return read_grid(content, sheet=sheet)
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(target=_read_capped, args=(sender, content, sheet, limits), daemon=True)
    with _start_lock:  # the first start launches the fork server
        process.start()
    sender.close()
    answer, overran = None, False
    try:
        if receiver.poll(limits.seconds):
            answer = receiver.recv()
        else:
            overran = True
    except (EOFError, OSError):  # the worker died before answering
        pass
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    # A text file (CSV) over a limit can only be split; a workbook can also be saved as CSV, which reads leaner.
    text = "" if content.startswith(SPREADSHEET_MAGIC) else "_text"
    if answer is None and (overran or process.exitcode == -signal.SIGXCPU):
        raise UnreadableFile("time_limit" + text, limit=str(limits.seconds))
    if answer is None:  # killed by the allocator (an abort) or the kernel: it ran out of memory
        raise UnreadableFile("memory_limit" + text, limit=str(limits.memory_bytes >> 20))
    if answer[0] == "refused":
        code = answer[1] + text if answer[1] in ("memory_limit", "time_limit") else answer[1]
        raise UnreadableFile(code, **answer[2])  # "row" among the parameters is the keyword
    return Grid(frame=answer[1], info=answer[2])
