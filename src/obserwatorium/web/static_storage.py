"""Static files under names that carry a hash of their content, each with its .br and .gz beside it.

`obserwatorium assets` collects them (collectstatic); whitenoise then answers a hashed name with
`Cache-Control: max-age=315360000, public, immutable` and the compressed file the browser accepts. A new
version of a file gets a new name, so a browser never keeps an old one.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}(\.[^./]+)?$")
# Source maps are read only by a browser's developer tools: not worth compressing at brotli's slowest level.
SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")


class ReusingCompressor(Compressor):
    """Compresses a hashed file once: its name fixes its content, so its .br and .gz stay right.

    Brotli's best level, right for files compressed once and sent many times, takes a minute for the site's
    few megabytes; a later `obserwatorium assets` compresses only the files that changed."""

    def compress(self, path: str) -> list[str]:
        done = [path + suffix for suffix in (".br", ".gz") if os.path.exists(path + suffix)]
        if done and HASHED_NAME.search(path):
            return done
        return super().compress(path)

    def write_data(self, path: str, data: bytes, suffix: str, stat_result: os.stat_result) -> str:
        # Written whole or not at all: an interrupted run must not leave a truncated file that is then reused.
        filename = path + suffix
        descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(filename), prefix=".compressing-")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.utime(temporary, (stat_result.st_atime, stat_result.st_mtime))
            os.replace(temporary, filename)
        except BaseException:
            os.unlink(temporary)
            raise
        return filename


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage; a file not collected yet keeps its plain name."""

    warned = False

    def create_compressor(self, **kwargs) -> Compressor:
        return ReusingCompressor(**{**kwargs, "extensions": SKIP_COMPRESS_EXTENSIONS})

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            # No manifest yet (a checkout before `obserwatorium assets`), or a file added since: the page still
            # works, with the plain name that whitenoise serves from the apps' folders, briefly cached. Whitenoise
            # also asks for names that are no file (to tell whether a name carries a hash), so only a missing
            # manifest is worth a warning, once.
            if not self.hashed_files and not StaticStorage.warned:
                StaticStorage.warned = True
                logger.warning("the static files are not collected: run `obserwatorium assets`")
            return name
