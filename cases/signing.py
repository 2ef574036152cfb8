"""Requests between the machines of one centre, signed with the centre key.

A terminal asking the hub (``hotro desk``) for something sends two headers: ``X-Hotro-Time``
(Unix seconds) and ``X-Hotro-Signature``, the hex HMAC-SHA256 with the centre key of
``"<METHOD>\\n<path with query>\\n<time>"``. The hub accepts a request signed with any key it
accepts for slips (the current one and retired ones in their grace period) within
``WINDOW_S`` of its own clock. Nothing secret travels: the key never leaves either machine.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

TIME_HEADER = "X-Hotro-Time"
SIGNATURE_HEADER = "X-Hotro-Signature"
WINDOW_S = 300
"""How far apart the two clocks may be (seconds)."""


def sign_request(key: bytes, method: str, path: str, when: int) -> str:
    message = f"{method.upper()}\n{path}\n{int(when)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signed_headers(key: bytes, method: str, path: str, when: int) -> dict[str, str]:
    return {TIME_HEADER: str(int(when)), SIGNATURE_HEADER: sign_request(key, method, path, when)}


def verify_request(
    keys: Iterable[bytes], method: str, path: str, when: str | None, signature: str | None,
    now: float,
) -> bool:  # fmt: skip
    """Whether the headers sign this request with one of ``keys``, recently enough."""
    if not when or not signature or not when.isdigit():
        return False
    if abs(now - int(when)) > WINDOW_S:
        return False
    return any(
        hmac.compare_digest(sign_request(key, method, path, int(when)), signature.strip().lower())
        for key in keys
    )
