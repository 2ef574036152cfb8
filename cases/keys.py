"""The centre's secret key that signs every slip's QR code; the terminal and the desk share it.

The key file holds 32 random bytes as 64 hexadecimal digits and a newline, readable only by its
owner (mode 0600). Copy the same file to every terminal and to the desk machine of one centre.
"""

from __future__ import annotations

import os
import secrets
import stat
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
