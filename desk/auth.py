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
import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

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
class _Lock:
    failures: int = 0
    """Wrong tries since the last lock (or success)."""
    locks: int = 0
    """Locks so far; each lasts twice as long as the one before."""
    locked_until: float = 0.0
    last: float = 0.0
    """When this client last failed."""


@dataclass
class Throttle:
    """Slows down guessing, per client and for everyone at once.

    Per client (its IP address): after ``max_failures`` wrong tries, sign-in from it waits
    ``lock_seconds``; each further lock lasts twice as long (60 s, 2 min, 4 min... up to
    ``max_lock_seconds``). Global: when ``global_failures`` wrong tries (from any clients)
    fall within ``global_window`` seconds, sign-in waits for everyone, also doubling. A right
    password ends the escalation for that client and the global one; a client quiet for
    ``forget_seconds`` starts again from the first lock. Sessions already signed in go on.
    While locked, tries are refused without checking the password (and not counted).
    """

    max_failures: int = 5
    lock_seconds: float = 60.0
    clock: object = field(default=time.monotonic)
    max_lock_seconds: float = 3600.0
    global_failures: int = 20
    global_window: float = 600.0
    forget_seconds: float = 86400.0
    max_clients: int = 4096
    """Clients remembered at once (the oldest are forgotten first)."""
    _clients: dict[str, _Lock] = field(default_factory=dict)
    _global: _Lock = field(default_factory=_Lock)
    _recent: list[float] = field(default_factory=list)

    def _now(self) -> float:
        return float(self.clock())  # type: ignore[operator]

    def _client(self, client: str, now: float) -> _Lock:
        state = self._clients.get(client)
        if state is not None and now - state.last > self.forget_seconds \
                and now >= state.locked_until:
            state = None
        if state is None:
            if len(self._clients) >= self.max_clients:
                oldest = min(self._clients, key=lambda c: self._clients[c].last)
                del self._clients[oldest]
            state = self._clients[client] = _Lock(last=now)
        return state

    def _lock(self, state: _Lock, now: float) -> None:
        state.locks += 1
        state.failures = 0
        length = min(self.max_lock_seconds, self.lock_seconds * 2 ** (state.locks - 1))
        state.locked_until = now + length

    def locked(self, client: str = "") -> tuple[str, int]:
        """("client" or "global", seconds left) when sign-in must wait; ("", 0) when allowed."""
        now = self._now()
        left_global = self._global.locked_until - now
        state = self._clients.get(client)
        left_client = state.locked_until - now if state is not None else 0.0
        if left_global <= 0 and left_client <= 0:
            return "", 0
        scope, left = (
            ("client", left_client) if left_client >= left_global else ("global", left_global)
        )
        return scope, max(1, int(left + 0.999))

    def wait_seconds(self, client: str = "") -> int:
        """Seconds left before another try is allowed from ``client`` (0: allowed now)."""
        return self.locked(client)[1]

    def failed(self, client: str = "") -> None:
        now = self._now()
        state = self._client(client, now)
        state.last = now
        state.failures += 1
        if state.failures >= self.max_failures:
            self._lock(state, now)
        self._recent = [t for t in self._recent if now - t < self.global_window]
        self._recent.append(now)
        if len(self._recent) >= self.global_failures:
            self._recent.clear()
            self._lock(self._global, now)

    def succeeded(self, client: str = "") -> None:
        self._clients.pop(client, None)
        self._global = _Lock(locked_until=self._global.locked_until)
        self._recent.clear()


# -- the session secret ---------------------------------------------------------------------------

SECRET_FILE = "desk-session.secret"
"""File name of the session-signing secret in $HOTRO_HOME."""


def load_session_secret(path: Path) -> str:
    """The secret that signs desk session cookies, read from ``path`` or created there (random,
    mode 0600), so that a desk restart does not sign staff out. Raises OSError when the file
    cannot be read or written; ValueError when it holds something too short to be a secret."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        secret = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, (secret + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        return secret
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a session secret (delete it; a new one is made)") from None
    if len(text) < 32:
        raise ValueError(f"{path}: not a session secret (delete it; a new one is made)")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        os.chmod(path, 0o600)
    return text
