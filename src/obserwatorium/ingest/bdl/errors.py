"""What can go wrong when talking to the BDL API, each with a message a person can act on."""

from __future__ import annotations


class BdlError(Exception):
    """Any failure of the BDL connector."""


class BdlUnreachable(BdlError):
    """The API could not be reached (no network, DNS, proxy, timeouts): nothing more can be fetched now."""


class BdlRateLimited(BdlError):
    """The request limits are exhausted beyond what retries and waiting allow."""


class BdlResponseError(BdlError):
    """One response could not be used (HTTP error, not JSON, not in the documented shape)."""
