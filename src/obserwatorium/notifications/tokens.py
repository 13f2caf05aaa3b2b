"""The signed token of a one-click unsubscribe link: whose preference (an account or an address) and which kind."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "obserwatorium.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    kind: str
    user_id: int | None = None
    address: str = ""


def make_token(*, kind: str, user_id: int | None, address: str = "") -> str:
    """A token that never expires: a link in an old e-mail still unsubscribes."""
    payload: dict[str, object] = {"k": kind, "u": user_id} if user_id is not None else {"k": kind, "a": address.lower()}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe:
    """The unsubscribe a token asks for; signing.BadSignature when it was not made by this site."""
    payload = signing.loads(token, salt=SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        raise signing.BadSignature("not an unsubscribe token")
    user_id = payload.get("u")
    if user_id is not None and not isinstance(user_id, int):
        raise signing.BadSignature("not an unsubscribe token")
    address = payload.get("a", "")
    if user_id is None and not (isinstance(address, str) and address):
        raise signing.BadSignature("not an unsubscribe token")
    return Unsubscribe(kind=payload["k"], user_id=user_id, address=address if user_id is None else "")
