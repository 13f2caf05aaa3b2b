"""Files are parsed in a worker process with a memory and a time cap, so that no file takes the server down.

The spreadsheet library allocates what a file declares and aborts the whole process when it cannot; the web
server must never be that process. The worker is forked from a small server process that imported the
readers once (multiprocessing's forkserver), so a file costs a fork, not an interpreter start. The worker
checks the declared sizes, reads the grid and sends it back, or sends the refusal; when it dies (memory) or
overruns (time), the caller gets a refusal naming the limit. This module needs no Django: the caller passes
the bytes or the path of the file, the limits and a folder for the grid.

Given a path, the worker reads the file itself: a plain UTF-8 delimited file in a stream from disk, anything
else whole. The grid comes back as an Arrow IPC file in the caller's folder (not pickled through the pipe),
which the caller reads a slice at a time.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from obserwatorium.ingest.inspection import ReadLimits, check_workbook
from obserwatorium.ingest.readers import SPREADSHEET_MAGIC, Grid, UnreadableFile, read_grid, stream_delimited_text

# Delimited text holds no compression and no declared extent: what it can make the reader hold is a small
# multiple of its size, so a small text file is read in the calling process and spares the fork.
INLINE_TEXT_BYTES = 1 << 20
GRID_FILE = "grid.arrow"

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["obserwatorium.ingest.worker"])
_start_lock = threading.Lock()


def _read_file(content: bytes | None, path: Path | None, sheet: str | None, limits: ReadLimits,
               target: Path) -> Grid:
    """The grid of the bytes, or of the file at `path`: streamed when it is plain UTF-8 text, else read whole."""
    if content is None and path is not None:
        with path.open("rb") as handle:
            spreadsheet = handle.read(8).startswith(SPREADSHEET_MAGIC)
        streamed = None if spreadsheet else stream_delimited_text(path, target)
        if streamed is not None:
            return streamed
        content = path.read_bytes()
    check_workbook(content or b"", limits)
    return read_grid(content or b"", sheet=sheet)


def _read_capped(connection: Connection, content: bytes | None, path: Path | None, sheet: str | None,
                 limits: ReadLimits, folder: Path) -> None:
    """The worker: cap memory and processor time, then check and read; the grid goes to an Arrow IPC file in
    `folder`, the answer through the pipe."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    target = folder / GRID_FILE
    try:
        grid = _read_file(content, path, sheet, limits, target)
        if grid.frame is not None:
            grid.frame.write_ipc(target, compression="lz4")
            grid = Grid(stored=target, info=grid.info)
        connection.send(("grid", grid.info))
    except UnreadableFile as error:
        connection.send(("refused", error.code, {**error.params, "row": error.row}))
    except MemoryError:
        connection.send(("refused", "memory_limit", {"limit": str(limits.memory_bytes >> 20)}))
    except Exception as error:  # noqa: BLE001 - whatever the library raised, the file is what cannot be read
        connection.send(("refused", "file_unreadable", {"detail": str(error).splitlines()[0] if str(error) else ""}))
    finally:
        connection.close()


def _small_text(content: bytes | None, path: Path | None) -> bytes | None:
    """The bytes of a small delimited text file, which is read in the calling process; else None."""
    if content is None and path is not None:
        if path.stat().st_size > INLINE_TEXT_BYTES:
            return None
        content = path.read_bytes()
    if content is None or len(content) > INLINE_TEXT_BYTES or content.startswith(SPREADSHEET_MAGIC):
        return None
    return content


def read_grid_isolated(content: bytes | None = None, *, path: Path | None = None, sheet: str | None,
                       limits: ReadLimits, folder: Path) -> Grid:
    """The grid of a file (its bytes, or its path on disk), read within `limits`; raises UnreadableFile with the
    reason or the limit reached. A large grid is kept in `folder`, which must outlive its use."""
    small = _small_text(content, path)
    if small is not None:
        return read_grid(small, sheet=sheet)
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(target=_read_capped, args=(sender, content, path, sheet, limits, folder),
                               daemon=True)
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
    text = "" if _starts_spreadsheet(content, path) else "_text"
    if answer is None and (overran or process.exitcode == -signal.SIGXCPU):
        raise UnreadableFile("time_limit" + text, limit=str(limits.seconds))
    if answer is None:  # killed by the allocator (an abort) or the kernel: it ran out of memory
        raise UnreadableFile("memory_limit" + text, limit=str(limits.memory_bytes >> 20))
    if answer[0] == "refused":
        code = answer[1] + text if answer[1] in ("memory_limit", "time_limit") else answer[1]
        raise UnreadableFile(code, **answer[2])  # "row" among the parameters is the keyword
    return Grid(stored=folder / GRID_FILE, info=answer[1])


def _starts_spreadsheet(content: bytes | None, path: Path | None) -> bool:
    if content is None and path is not None:
        with path.open("rb") as handle:
            content = handle.read(8)
    return (content or b"").startswith(SPREADSHEET_MAGIC)
