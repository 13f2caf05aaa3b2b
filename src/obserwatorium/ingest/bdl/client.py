"""HTTP client of the BDL API v1: paging, request limits, retries with backoff, conditional requests, disk cache."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from obserwatorium import __version__
from obserwatorium.ingest.bdl.cache import CachedResponse, ResponseCache
from obserwatorium.ingest.bdl.errors import BdlRateLimited, BdlResponseError, BdlUnreachable
from obserwatorium.ingest.bdl.limiter import Clock, RateLimiter, SystemClock
from obserwatorium.ingest.bdl.payloads import VariableData, add_variable_page, check_units, next_link, page_results

BASE_URL = "https://bdl.stat.gov.pl/api/v1"
PAGE_SIZE = 100  # the largest page the API serves
MAX_PAGES = 500  # a guard against a `links.next` that never ends
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after_seconds(response: httpx.Response, *, now: float) -> float | None:
    """Seconds the server asks us to wait (Retry-After as seconds or as an HTTP date), if it says."""
    header = response.headers.get("Retry-After", "").strip()
    if not header:
        return None
    if header.isdigit():
        return float(header)
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - now)
    except (TypeError, ValueError):
        return None


class BdlClient:
    """Requests to the BDL API; the transport is injectable (tests serve recorded payloads through it)."""

    def __init__(self, *, api_key: str = "", base_url: str = BASE_URL, lang: str = "pl",
                 transport: httpx.BaseTransport | None = None, cache_dir: Path | None = None,
                 clock: Clock | None = None, limiter: RateLimiter | None = None, max_retries: int = 4,
                 backoff_seconds: float = 2.0, fresh_seconds: float = 3600.0, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.clock = clock or SystemClock()
        self.limiter = limiter or RateLimiter.for_client(
            registered=bool(api_key), clock=self.clock,
            state_file=cache_dir / ("quota-registered.json" if api_key else "quota-anonymous.json")
            if cache_dir else None)
        self.cache = ResponseCache(cache_dir) if cache_dir else None
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.fresh_seconds = fresh_seconds
        self.requests_sent = 0
        headers = {"Accept": "application/json", "User-Agent": f"obserwatorium/{__version__}"}
        if api_key:
            headers["X-ClientId"] = api_key
        self._http = httpx.Client(headers=headers, transport=transport, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BdlClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def url(self, path: str, params: Sequence[tuple[str, str | int]] = ()) -> str:
        """The full address of an endpoint with its query; `format` and `lang` are always sent."""
        query = [*params, ("format", "json"), ("lang", self.lang)]
        return str(httpx.URL(self.base_url + path, params=[(k, str(v)) for k, v in query]))

    # Endpoints -----------------------------------------------------------------------------------------------

    def data_by_variable(self, variable_id: int, *, parent_id: str, level: int = 6,
                         years: Sequence[int] = ()) -> VariableData:
        """Values of one variable for every unit of `level` under `parent_id`, all pages merged."""
        params: list[tuple[str, str | int]] = [("unit-parent-id", parent_id), ("unit-level", level)]
        params += [("year", year) for year in years]
        params.append(("page-size", PAGE_SIZE))
        data = VariableData()
        for url, payload in self._pages(self.url(f"/data/by-variable/{int(variable_id)}", params)):
            add_variable_page(data, payload, url=url)
        return data

    def units(self, *, parent_id: str, level: int | None = None) -> list[dict]:
        """Units under `parent_id` (optionally of one level): id, name, parentId, level, kind."""
        params: list[tuple[str, str | int]] = [("parent-id", parent_id)]
        if level is not None:
            params.append(("level", level))
        params.append(("page-size", PAGE_SIZE))
        units: list[dict] = []
        for url, payload in self._pages(self.url("/units", params)):
            units += check_units(page_results(payload, url), url)
        return units

    def unit(self, unit_id: str) -> dict:
        """One unit with the years it has data for."""
        return self._object(self.url(f"/units/{unit_id}"))

    def variables(self, *, subject_id: str) -> list[dict]:
        """The variables of one subject (e.g. P2137): id, n1…n5, level, measureUnitName."""
        found: list[dict] = []
        for url, payload in self._pages(self.url("/variables", [("subject-id", subject_id),
                                                                ("page-size", PAGE_SIZE)])):
            found += page_results(payload, url)
        return found

    def variable(self, variable_id: int) -> dict:
        """One variable's metadata: names n1…n5, subject, level, measure unit, years."""
        return self._object(self.url(f"/variables/{int(variable_id)}"))

    # Transport -----------------------------------------------------------------------------------------------

    def _object(self, url: str) -> dict:
        payload = self.get_json(url)
        if not isinstance(payload, dict):
            raise BdlResponseError(f"The BDL response from {url} is not a JSON object.")
        return payload

    def _pages(self, url: str) -> Iterator[tuple[str, dict]]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url is not None:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise BdlResponseError(f"The BDL API keeps returning more pages (stopped at {next_url}).")
            seen.add(next_url)
            payload = self.get_json(next_url)
            if not isinstance(payload, dict):
                raise BdlResponseError(f"The BDL response from {next_url} is not a JSON object.")
            yield next_url, payload
            next_url = next_link(payload, next_url)

    def get_json(self, url: str) -> object:
        """GET one address: fresh cache first, then the API within the limits, retrying 429 and 5xx."""
        cached = self.cache.get(url) if self.cache else None
        if cached is not None and self.clock.time() - cached.stored_at < self.fresh_seconds:
            return self._decode(cached.body, url)
        for attempt in range(self.max_retries + 1):
            response = self._send(url, cached.validators() if cached else {})
            if response.status_code == 304 and cached is not None and self.cache is not None:
                self.cache.touch(cached, now=self.clock.time())
                return self._decode(cached.body, url)
            if response.status_code in RETRY_STATUSES:
                self._wait_before_retry(response, attempt, url)
                continue
            if response.status_code >= 400:
                raise BdlResponseError(f"The BDL API answered {response.status_code} to {url}: "
                                       f"{_error_text(response)}")
            payload = self._decode(response.text, url)
            if self.cache is not None:
                self.cache.put(CachedResponse(url=url, body=response.text, stored_at=self.clock.time(),
                                              etag=response.headers.get("ETag", ""),
                                              last_modified=response.headers.get("Last-Modified", "")))
            return payload
        raise AssertionError("unreachable: the retry loop returns or raises")

    @staticmethod
    def _decode(text: str, url: str) -> object:
        try:
            return json.loads(text)
        except ValueError as exc:
            raise BdlResponseError(f"The BDL API returned a body that is not valid JSON from {url} ({exc}).") from exc

    def _send(self, url: str, headers: dict[str, str]) -> httpx.Response:
        self.limiter.acquire()
        self.requests_sent += 1
        try:
            return self._http.get(url, headers=headers)
        except httpx.TransportError as exc:
            raise BdlUnreachable(
                f"The BDL API ({self.base_url}) is unreachable: {exc.__class__.__name__}: {exc}. Check the internet "
                "connection (or proxy) and run the same command again: the sync continues where it stopped."
            ) from exc

    def _wait_before_retry(self, response: httpx.Response, attempt: int, url: str) -> None:
        asked = retry_after_seconds(response, now=self.clock.time())
        wait = asked if asked is not None else self.backoff_seconds * 2 ** attempt
        limited = response.status_code == 429
        if attempt >= self.max_retries or wait > self.limiter.max_wait:
            if limited:
                raise BdlRateLimited(
                    f"The BDL API refuses more requests now (429 Too Many Requests after {attempt + 1} attempts"
                    f"{f'; it asks to wait {wait:.0f} s' if asked is not None else ''}). Run the same command "
                    "again later: the sync continues where it stopped. An API key (OBS_BDL_API_KEY) raises the "
                    "limits.")
            raise BdlResponseError(f"The BDL API answered {response.status_code} to {url} "
                                   f"{attempt + 1} times; try again later.")
        self.clock.sleep(wait)


def _error_text(response: httpx.Response) -> str:
    """The API's own explanation of an error, shortened."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        for key in ("errorResult", "message", "errors", "title"):
            if body.get(key):
                return str(body[key])[:300]
    return str(body)[:300]
