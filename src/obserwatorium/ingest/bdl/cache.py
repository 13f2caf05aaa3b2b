"""On-disk cache of BDL responses with their validators (ETag, Last-Modified), one JSON file per URL."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CachedResponse:
    url: str
    body: str
    stored_at: float
    etag: str = ""
    last_modified: str = ""

    def validators(self) -> dict[str, str]:
        """Headers that ask the server to answer 304 Not Modified when the stored body is still current."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ResponseCache:
    """Responses keyed by their full URL (the API key travels in a header, so it never enters a key)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, url: str) -> Path:
        return self.directory / f"{hashlib.sha256(url.encode()).hexdigest()[:40]}.json"

    def get(self, url: str) -> CachedResponse | None:
        """The stored response for this URL, or None (also when the file is damaged)."""
        path = self._path(url)
        if not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            cached = CachedResponse(url=entry["url"], body=entry["body"], stored_at=float(entry["stored_at"]),
                                    etag=entry.get("etag", ""), last_modified=entry.get("last_modified", ""))
        except (ValueError, KeyError, TypeError):
            return None
        return cached if cached.url == url else None

    def put(self, response: CachedResponse) -> None:
        """Store a response, replacing the file atomically so a crash never leaves half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(response.url)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({
            "url": response.url, "body": response.body, "stored_at": response.stored_at,
            "etag": response.etag, "last_modified": response.last_modified,
        }, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def touch(self, cached: CachedResponse, *, now: float) -> None:
        """Mark a stored response as confirmed current now (after a 304)."""
        self.put(CachedResponse(url=cached.url, body=cached.body, stored_at=now, etag=cached.etag,
                                last_modified=cached.last_modified))
