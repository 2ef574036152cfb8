"""The centre's secret key that signs every slip's QR code; the terminal and the desk share it.

The key file holds 32 random bytes as 64 hexadecimal digits and a newline, readable only by its
owner (mode 0600). Copy the same file to every terminal and to the desk machine of one centre.

Rotation (``hotro keys rotate``, ``rotate_key``): a new key replaces the current one, and the old
one moves to ``<key file>.previous`` (one line per retired key: the key, when it was made, when
it was retired, and until when the desk accepts it; mode 0600). The terminal always signs with
the current key (``load_key``); the desk reads both files (``load_keyring``) and accepts a
retired key until its grace period ends (by default the end of the day after the rotation), so
slips printed before the rotation still verify.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

KEY_BYTES = 32


class KeyFileError(Exception):
    """The key file is missing, unreadable, malformed or already there.

    ``str(e)`` names the file and says what to do.
    """


def init_key(path: Path, force: bool = False) -> bytes:
    """Create a new random key at ``path`` (mode 0600); refuse to replace one unless ``force``.

    Replacing a key makes every slip printed before unreadable at the desk.
    """
    path = Path(path)
    if path.exists() and not force:
        raise KeyFileError(
            f"{path}: a centre key already exists; replacing it makes every slip printed with it "
            "unreadable at the desk. Use --force only if you mean that."
        )
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, (key.hex() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        reason = exc.strerror or exc
        raise KeyFileError(f"{path}: cannot write the centre key ({reason}).") from None
    return key


def load_key(path: Path) -> bytes:
    """Read the key at ``path``. Raises KeyFileError with a clear message."""
    path = Path(path)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyFileError(
            f"{path}: no centre key. Create one with `hotro keys init`, or copy the centre's key "
            "file here from another terminal or the desk."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the centre key ({exc}).") from None
    digits = text.strip()
    try:
        key = bytes.fromhex(digits)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"{path}: not a centre key; expected {KEY_BYTES * 2} hexadecimal digits "
            f"(made by `hotro keys init`), found {len(digits)} characters."
        )
    return key


def key_is_private(path: Path) -> bool:
    """True when no one but the owner can read the key file."""
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


# -- rotation ---------------------------------------------------------------------------------

DEFAULT_GRACE_DAYS = 1
"""A retired key is accepted until the end of the day after the rotation."""
MAX_GRACE_DAYS = 30
KEEP_EXPIRED_DAYS = 30
"""Expired keys stay listed this long after their grace ends, so the desk can say "this slip
was signed with a retired key" instead of "forged"; a later rotation drops them."""
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_PREVIOUS_HEADER = (
    "# hotro: previous centre keys, kept by `hotro keys rotate` so that slips printed before a\n"
    "# rotation still verify at the desk for a grace period. Keep this file private (0600)\n"
    "# and next to centre.key on the desk machine. One key a line:\n"
    "# key (64 hex digits)  created  retired  accepted-until   (local time)\n"
)


@dataclass(frozen=True)
class RetiredKey:
    """A centre key replaced by ``hotro keys rotate``."""

    key: bytes
    created: datetime
    """When this key was made (as well as known: the key file's time at rotation)."""
    retired: datetime
    """When it was replaced (local time)."""
    until: datetime
    """The desk accepts slips signed with it up to this moment (local time), then refuses them."""

    def accepted_at(self, now: datetime) -> bool:
        return now <= self.until


@dataclass(frozen=True)
class KeyRing:
    """The current centre key (the terminal signs with it) and the retired ones."""

    current: bytes
    retired: tuple[RetiredKey, ...] = ()
    """Newest first."""

    def accepted(self, now: datetime) -> tuple[bytes, ...]:
        """Keys a slip may be signed with at ``now``: the current key first."""
        return (self.current, *(r.key for r in self.retired if r.accepted_at(now)))

    def expired(self, now: datetime) -> tuple[RetiredKey, ...]:
        """Retired keys whose grace period is over at ``now``."""
        return tuple(r for r in self.retired if not r.accepted_at(now))


def previous_path(path: Path) -> Path:
    """Where the retired keys of the key file ``path`` live: ``<path>.previous``."""
    path = Path(path)
    return path.with_name(path.name + ".previous")


def fingerprint(key: bytes) -> str:
    """A short, safe name for a key (8 hex digits of a hash); it does not reveal the key."""
    return hashlib.sha256(b"hotro-key-fingerprint\x00" + bytes(key)).hexdigest()[:8].upper()


def end_of_grace(retired: datetime, grace_days: int = DEFAULT_GRACE_DAYS) -> datetime:
    """The last moment a key retired at ``retired`` is accepted: the end of the day
    ``grace_days`` days after (0: the end of the rotation day)."""
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValueError(f"grace days {grace_days}: expected 0..{MAX_GRACE_DAYS}")
    return datetime.combine(retired.date() + timedelta(days=grace_days), dt_time(23, 59, 59))


def load_keyring(path: Path) -> KeyRing:
    """The current key at ``path`` and the retired keys in ``<path>.previous`` (if any).

    Raises KeyFileError naming the file and line when either is damaged.
    """
    current = load_key(path)
    return KeyRing(current, _read_previous(previous_path(path), current))


def _read_previous(path: Path, current: bytes) -> tuple[RetiredKey, ...]:
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path}: cannot read the previous centre keys ({exc}).") from None
    out: list[RetiredKey] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        try:
            if len(parts) != 4:
                raise ValueError
            key = bytes.fromhex(parts[0])
            if len(key) != KEY_BYTES:
                raise ValueError
            created, retired, until = (datetime.strptime(p, _TIME_FORMAT) for p in parts[1:])
        except ValueError:
            raise KeyFileError(
                f"{path}, line {number}: not a previous-key line; expected 64 hexadecimal "
                "digits and three times like 2026-11-23T09:00:00 (made by `hotro keys rotate`)."
            ) from None
        if key != current:
            out.append(RetiredKey(key, created, retired, until))
    return tuple(sorted(out, key=lambda r: r.retired, reverse=True))


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def rotate_key(
    path: Path, *, now: datetime | None = None, grace_days: int = DEFAULT_GRACE_DAYS
) -> KeyRing:
    """Replace the centre key at ``path`` with a new random one, keeping the old one in
    ``<path>.previous`` with its grace period (see ``end_of_grace``).

    The retired keys are written first, so a crash in between leaves a key ring that still
    reads every slip. Keys whose grace ended more than ``KEEP_EXPIRED_DAYS`` ago are dropped.
    """
    path = Path(path)
    now = (now or datetime.now()).replace(microsecond=0)
    until = end_of_grace(now, grace_days)
    ring = load_keyring(path)
    try:
        created = datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        created = now
    created = min(created, now)
    old = RetiredKey(ring.current, created, now, until)
    cutoff = now - timedelta(days=KEEP_EXPIRED_DAYS)
    kept = (old, *(r for r in ring.retired if r.until >= cutoff))
    lines = [
        f"{r.key.hex()} {r.created.strftime(_TIME_FORMAT)} {r.retired.strftime(_TIME_FORMAT)} "
        f"{r.until.strftime(_TIME_FORMAT)}"
        for r in kept
    ]
    previous = previous_path(path)
    try:
        _write_private(previous, _PREVIOUS_HEADER + "\n".join(lines) + "\n")
    except OSError as exc:
        reason = exc.strerror or exc
        raise KeyFileError(f"{previous}: cannot write the previous keys ({reason}).") from None
    new = init_key(path, force=True)
    return KeyRing(new, _read_previous(previous, new))
