"""A terminal pulls the centre's clip packs from the hub: a real `hotro desk` app with its studio
on uvicorn (127.0.0.1), requests signed with the centre key, packs installed on the terminal's
own shelf. ``[centre] hub`` comes with issue 14; until then a config carrying it is simulated by
a CentreConfig with one more field (the pull reads the setting tolerantly)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from cases.keys import init_key
from desk.service import DeskSettings
from desk.studio import install
from procedures.catalogue import load_catalogue
from terminal.config import CentreConfig, Config, JournalConfig, VoiceConfig
from terminal.voicepull import PullError, hub_of, pull_in_background, pull_packs
from tests.desk.support import ThreadServer
from voices.clips import PackInfo, create_pack, open_packs
from voices.speaker import Speaker

pytestmark = pytest.mark.real


@dataclass(frozen=True)
class CentreWithHub(CentreConfig):
    hub: str = ""


@pytest.fixture
def hub(tmp_path: Path):  # noqa: ANN201
    key = init_key(tmp_path / "desk" / "centre.key")
    settings = DeskSettings(
        journal_path=tmp_path / "desk" / "journal.sqlite3", key=key,
        catalogue=load_catalogue(), password_hash="",
    )  # fmt: skip
    server = ThreadServer(settings)
    shelf = tmp_path / "desk" / "clips"
    install(server.app, shelf)
    with server:
        yield server, shelf, tmp_path / "desk" / "centre.key"


def terminal_config(tmp_path: Path, url: str, key_file: Path) -> Config:
    return Config(
        centre=CentreWithHub(hub=url + "/", key_file=str(key_file)),
        voice=VoiceConfig(clips=str(tmp_path / "terminal" / "clips")),
        journal=JournalConfig(path=str(tmp_path / "terminal" / "journal.sqlite3")),
    )


def test_a_terminal_pulls_changed_packs_from_the_hub(hub, tmp_path: Path) -> None:  # noqa: ANN001
    server, shelf, key_file = hub
    wav = Speaker(tmp_path / "cache").synthesize("Có ạ.")
    pack = create_pack(shelf, PackInfo.default("vi"))
    pack.add("button_yes", "Có", wav, "Lan")
    config = terminal_config(tmp_path, server.url, key_file)
    assert hub_of(config) == server.url
    assert pull_packs(config) == ["pack vi: 1 clips from the hub"]
    got = open_packs(config.clips_dir)["vi"]
    assert got.has("button_yes", "Có") and got.clips["button_yes"].by == "Lan"
    assert pull_packs(config) == ["pack vi: up to date"]
    server.app.state.studio.packs()["vi"].add("button_no", "Không", wav, "Lan")
    assert pull_packs(config) == ["pack vi: 2 clips from the hub"]
    assert open_packs(config.clips_dir)["vi"].has("button_no", "Không")


def test_the_pull_runs_in_the_background_and_then_reloads(hub, tmp_path: Path) -> None:  # noqa: ANN001
    server, shelf, key_file = hub
    create_pack(shelf, PackInfo.default("vi-south")).add(
        "button_yes", "Có", Speaker(tmp_path / "cache").synthesize("Có ạ."), "Lan"
    )
    done = threading.Event()
    pull_in_background(terminal_config(tmp_path, server.url, key_file), then=done.set)
    assert done.wait(30)
    assert "vi-south" in open_packs(tmp_path / "terminal" / "clips")


def test_another_centres_key_or_no_hub_is_a_clear_error(hub, tmp_path: Path) -> None:  # noqa: ANN001
    server, _, _ = hub
    other = tmp_path / "other.key"
    init_key(other)
    with pytest.raises(PullError, match="does not accept this terminal's centre key"):
        pull_packs(terminal_config(tmp_path, server.url, other))
    with pytest.raises(PullError, match="cannot be reached"):
        pull_packs(terminal_config(tmp_path, "http://127.0.0.1:9", other), timeout=2)


def test_without_a_hub_setting_nothing_is_pulled(tmp_path: Path) -> None:
    config = replace(Config(), voice=VoiceConfig(clips=str(tmp_path)))
    assert hub_of(config) == "" and pull_packs(config) == []


def test_a_pack_list_naming_paths_is_refused_item_by_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hub's replies are not signed: an id in its pack list that is not a pack id (a path
    out of the clips folder) is neither read nor written, and is named in the log."""
    import json

    import terminal.voicepull as voicepull

    key_file = tmp_path / "centre.key"
    init_key(key_file)
    outside = tmp_path / "outside"
    listing = [{"id": "../outside", "digest": "x"}, {"id": "vi/../../outside", "digest": "y"}]
    asked: list[str] = []

    def fake_get(hub: str, path: str, key: bytes, timeout: float) -> bytes:
        asked.append(path)
        return json.dumps(listing).encode()

    monkeypatch.setattr(voicepull, "_get", fake_get)
    config = terminal_config(tmp_path, "http://127.0.0.1:9", key_file)
    assert pull_packs(config) == [
        "pack '../outside': not installed (not a pack id)",
        "pack 'vi/../../outside': not installed (not a pack id)",
    ]
    assert asked == ["/voices/packs"] and not outside.exists()
