"""The small base every table format's writer follows (one class per format, as in sdg-build)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import polars as pl

from obserwatorium.downloads.meta import TableMeta


class TableWriter(ABC):
    """One open format: a table with its metadata as the bytes of one file."""

    format: ClassVar[str]  # the file extension, also the name in download URLs
    media_type: ClassVar[str]

    @abstractmethod
    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        """The file's bytes."""
