"""Requests between the machines of one centre, signed with the centre key.

A terminal asking the hub (``hotro desk``) for something sends two headers: ``X-Hotro-Time``
(Unix seconds) and ``X-Hotro-Signature``, the hex HMAC-SHA256 with the centre key of
``"<METHOD>\\n<path with query>\\n<time>"``, followed by ``"\\n<SHA-256 of the body, hex>"``
when the request has a body. The hub accepts a request signed with any key it accepts for slips
(the current one and retired ones in their grace period) within ``WINDOW_S`` of its own clock,
or at any time where the route says replaying it is harmless (``window=None``: the records a
terminal forwards, which the hub stores once however often they come, so a terminal with a wrong
clock still gets its records through). Nothing secret travels: the key never leaves either
machine.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

TIME_HEADER = "X-Hotro-Time"
SIGNATURE_HEADER = "X-Hotro-Signature"
WINDOW_S = 300
"""How far apart the two clocks may be (seconds)."""


def sign_request(key: bytes, method: str, path: str, when: int, body: bytes = b"") -> str:
    message = f"{method.upper()}\n{path}\n{int(when)}"
    if body:
        message += "\n" + hashlib.sha256(body).hexdigest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    key: bytes, method: str, path: str, when: int, body: bytes = b""
) -> dict[str, str]:
    return {
        TIME_HEADER: str(int(when)),
        SIGNATURE_HEADER: sign_request(key, method, path, when, body),
    }


def verify_request(
    keys: Iterable[bytes], method: str, path: str, when: str | None, signature: str | None,
    now: float, body: bytes = b"", window: float | None = WINDOW_S,
) -> bool:  # fmt: skip
    """Whether the headers sign this request (and ``body``) with one of ``keys``, within
    ``window`` seconds of ``now`` (None: at any time)."""
    if not when or not signature or not when.isdigit():
        return False
    if window is not None and abs(now - int(when)) > window:
        return False
    return any(
        hmac.compare_digest(
            sign_request(key, method, path, int(when), body), signature.strip().lower()
        )
        for key in keys
    )
