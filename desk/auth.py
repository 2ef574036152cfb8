"""Staff sign-in: one PIN or password per centre, stored only as a salted scrypt hash.

Hash format (one line, safe in a TOML string)::

    scrypt$16384$8$1$<salt, base64>$<hash, base64>

The CSRF token is a random value kept in the signed session cookie and repeated in a hidden
field of every form; a POST without the matching field is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MIN_SECRET_LENGTH = 4
"""Shortest PIN accepted by ``hotro desk passwd``."""


class PasswordHashError(ValueError):
    """The configured password hash is not in the expected format."""


def hash_password(secret: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``secret`` in the format above."""
    if len(secret) < MIN_SECRET_LENGTH:
        raise ValueError(f"a PIN or password needs at least {MIN_SECRET_LENGTH} characters")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_hash_format(stored: str) -> None:
    """Raise PasswordHashError when ``stored`` is not a hash made by ``hash_password``."""
    _parse(stored)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise PasswordHashError(
            "desk.password_hash is not a hash made by 'hotro desk passwd' "
            "(expected scrypt$N$r$p$salt$hash)"
        )
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise PasswordHashError("desk.password_hash has a damaged number or base64 part") from None
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or len(digest) < 16:
        raise PasswordHashError("desk.password_hash has out-of-range scrypt parameters")
    return n, r, p, salt, digest


def verify_password(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches ``stored`` (constant-time comparison)."""
    n, r, p, salt, digest = _parse(stored)
    candidate = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest),
        maxmem=128 * n * r * p + 2**20,
    )
    return hmac.compare_digest(candidate, digest)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


@dataclass
class Throttle:
    """Slows down guessing: after ``max_failures`` wrong tries, sign-in waits ``lock_seconds``."""

    max_failures: int = 5
    lock_seconds: float = 60.0
    clock: object = field(default=time.monotonic)
    _failures: int = 0
    _locked_until: float = 0.0

    def wait_seconds(self) -> int:
        """Seconds left before another try is allowed (0: allowed now)."""
        left = self._locked_until - self.clock()  # type: ignore[operator]
        return max(0, int(left + 0.999))

    def failed(self) -> None:
        self._failures += 1
        if self._failures >= self.max_failures:
            self._failures = 0
            self._locked_until = self.clock() + self.lock_seconds  # type: ignore[operator]

    def succeeded(self) -> None:
        self._failures = 0
