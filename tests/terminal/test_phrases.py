"""The terminal's phrase files: the same ids and placeholders in every language, NFC text."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import yaml

from voices.phrases import load_pack, placeholders

PACKS = Path(__file__).resolve().parents[2] / "voices" / "phrases"
ROLES = ("title_", "prompt_", "button_", "help_", "warning_", "error_", "speech_")


def _load(lang: str) -> dict:
    return yaml.safe_load((PACKS / lang / "terminal.yaml").read_text(encoding="utf-8"))


def _texts(entry) -> list[str]:
    if isinstance(entry, str):
        return [entry, entry]
    return [entry["screen"], entry.get("spoken", entry["screen"]), *entry.get("say", [])]


def test_vi_and_en_define_the_same_ids():
    assert set(_load("vi")) == set(_load("en"))


def test_every_id_starts_with_its_role():
    assert all(key.startswith(ROLES) for key in _load("vi"))


def test_placeholders_match_across_languages():
    vi, en = load_pack("vi"), load_pack("en")
    for key in _load("vi"):
        assert vi.placeholders_of(key) == en.placeholders_of(key), key


def test_all_text_is_nfc():
    for lang in ("vi", "en"):
        for key, entry in _load(lang).items():
            for text in _texts(entry):
                assert unicodedata.is_normalized("NFC", text), (lang, key)


def test_every_id_the_terminal_code_names_exists():
    """Every phrase id the terminal's code names (the Kivy window and the commands too) is in
    both languages; the theme files' colour names only look like ids."""
    terminal = Path(__file__).resolve().parents[2] / "terminal"
    source = "\n".join(p.read_text(encoding="utf-8") for p in terminal.rglob("*.py"))
    colours = {
        key
        for theme in (terminal / "themes").glob("*.json")
        for key in json.loads(theme.read_text(encoding="utf-8"))
    }
    pattern = r'"((?:title|prompt|button|help|warning|error|speech)_[a-z_0-9]+)"'
    named = {n for n in re.findall(pattern, source) if not n.endswith("_")} - colours
    assert "button_read_on" in named  # app.py is read
    for lang in ("vi", "en"):
        pack = load_pack(lang)
        missing = {n for n in named if n not in pack}
        assert not missing, (lang, missing)


def test_spoken_text_says_ong_ba_not_the_slash():
    for key, entry in _load("vi").items():
        spoken = _texts(entry)[1]
        assert "ông/bà" not in spoken.lower(), key
    assert placeholders("{a} {b}") == {"a", "b"}


def test_the_english_lockout_reads_whole_words_for_any_number_of_minutes():
    """Said aloud, "5 min" is read "five min"; "1 minutes" is wrong English."""
    pack = load_pack("en")
    for minutes in (1, 5):
        said = pack.spoken("speech_code_locked", minutes=minutes)
        assert said.endswith(f"Minutes to wait: {minutes}.")
        assert " min," not in said and "min." not in said.replace("Minutes", "")
