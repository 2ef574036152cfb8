"""A terminal fetches the centre's recorded clip packs from the hub (``[centre] hub``).

The hub is the desk PC (``hotro desk``); its studio keeps the packs. When ``[centre] hub`` names
it (``"http://192.168.1.10:8080"``), the terminal asks ``GET /voices/packs`` at start (in the
background: a terminal with no network starts as fast as ever) and with ``hotro voices pack
pull``, and downloads each pack that changed since its last pull (``GET /voices/pack.zip``),
installing it whole (``voices.clips.import_pack``). Requests are signed with the centre key
(``cases.signing``). The digest of each pulled pack is kept beside it (``.hub-digest``).
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from cases.keys import KeyFileError, load_key
from cases.signing import signed_headers
from terminal.config import Config
from voices.clips import PACK_ID, PackError, import_pack

log = logging.getLogger("hotro.terminal")

DIGEST_FILE = ".hub-digest"
TIMEOUT_S = 10.0


class PullError(RuntimeError):
    """The hub could not be asked; one sentence for a technician."""


def hub_of(config: Config) -> str:
    """The hub's base URL, or "" when the centre has none."""
    return config.centre.hub.strip().rstrip("/")


def _get(hub: str, path: str, key: bytes, timeout: float) -> bytes:
    request = urllib.request.Request(
        hub + path, headers=signed_headers(key, "GET", path, int(time.time()))
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        reason = "the hub does not accept this terminal's centre key" if exc.code == 403 else ""
        raise PullError(f"{hub}{path}: HTTP {exc.code} {reason or exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PullError(f"{hub} cannot be reached ({getattr(exc, 'reason', exc)})") from None


def pull_packs(config: Config, timeout: float = TIMEOUT_S) -> list[str]:
    """Fetch every pack that changed on the hub; one line per pack for the log."""
    hub = hub_of(config)
    if not hub:
        return []
    try:
        key = load_key(config.key_path)
    except (KeyFileError, OSError) as exc:
        raise PullError(f"no centre key to sign with: {exc}") from None
    try:
        listing = json.loads(_get(hub, "/voices/packs", key, timeout))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PullError(f"{hub}/voices/packs: not a pack list ({exc})") from None
    lines = []
    root = config.clips_dir
    for item in listing:
        pack_id, digest = str(item.get("id", "")), str(item.get("digest", ""))
        if not PACK_ID.fullmatch(pack_id):  # the reply is not signed: never a path of its own
            lines.append(f"pack {pack_id!r}: not installed (not a pack id)")
            continue
        marker = root / pack_id / DIGEST_FILE
        if marker.is_file() and marker.read_text(encoding="ascii").strip() == digest:
            lines.append(f"pack {pack_id}: up to date")
            continue
        path = "/voices/pack.zip?" + urllib.parse.urlencode({"id": pack_id})
        try:
            report = import_pack(root, io.BytesIO(_get(hub, path, key, timeout)))
        except PackError as exc:
            lines.append(f"pack {pack_id}: not installed ({exc})")
            continue
        (root / report.pack_id / DIGEST_FILE).write_text(digest, encoding="ascii")
        skipped = f", {len(report.skipped)} left out" if report.skipped else ""
        lines.append(f"pack {pack_id}: {report.clips} clips from the hub{skipped}")
    return lines


def pull_in_background(config: Config, then: Callable[[], None] | None = None) -> None:
    """Pull the packs on a thread (the terminal starts meanwhile); ``then`` runs after."""

    def work() -> None:
        try:
            for line in pull_packs(config):
                log.info("voice packs: %s", line)
        except PullError as exc:
            log.warning("voice packs: not pulled from the hub: %s", exc)
        if then is not None:
            then()

    threading.Thread(target=work, name="hotro-pack-pull", daemon=True).start()

