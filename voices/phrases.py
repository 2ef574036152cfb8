"""Phrase packs: every user-facing string, once per language, for screen, voice and slip.

A pack is the folder ``voices/phrases/<lang>/``; each YAML file in it holds part of the one
catalogue (``common.yaml``, ``terminal.yaml``, ``slip.yaml``, ``desk.yaml``...). An id may appear
in only one file. An entry is either a plain string (shown and spoken the same) or a mapping::

    prompt_have_paper:
      screen: "Ông/bà đã có {paper} chưa?"     # shown on screen / printed
      spoken: "Ông bà đã có {paper} chưa?"     # spoken (defaults to screen)
      say: [có rồi, có]                        # what a resident may say to choose it (optional)

Ids start with their role: ``button_``, ``title_``, ``prompt_``, ``warning_``, ``error_``,
``help_``, ``slip_``, ``desk_``, ``speech_`` (spoken only), ``command_`` (global commands).
Placeholders are ``{name}``; every language must use the same placeholders for an id.

A list: the placeholder ``{items}`` of phrase ``X`` holds phrases ``X_item`` joined by
``LIST_SEPARATOR`` (``speech_menu`` "Bấm {items}." with ``speech_menu_item`` "{number} {label}"
gives "Bấm 1 Hộ tịch, 2 Chứng thực."); ``PhrasePack.join`` fills it, and the voice plans each
item from its own clips (``voices.compose``). A ``{number}`` or ``{count}`` is digits.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PACKS_DIR = Path(__file__).with_name("phrases")
LIST_FIELD = "items"
"""The placeholder that holds a list of ``<phrase id>_item`` phrases."""
LIST_SEPARATOR = ", "
"""Between the items of a list."""


class PhraseError(ValueError):
    """A phrase pack file is malformed, or an id or placeholder is missing."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """One catalogue entry with its placeholders filled."""

    id: str
    screen: str
    """Text shown on screen or printed."""
    spoken: str
    """Text handed to the speaker (numbers are read by ``voices.reading`` at synthesis)."""
    say: tuple[str, ...] = ()
    """What a resident may say to choose this (for the voice grammar)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    screen: str
    spoken: str
    say: tuple[str, ...]
    file: str


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a template."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


class PhrasePack:
    """The catalogue of one language."""

    def __init__(self, lang: str, entries: dict[str, _Entry]) -> None:
        self.lang = lang
        self._entries = entries

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._entries)

    @property
    def ordered_ids(self) -> tuple[str, ...]:
        """Every id in file order (files sorted by name, entries as written)."""
        return tuple(self._entries)

    def file_of(self, phrase_id: str) -> str:
        """The pack file that defines ``phrase_id`` (e.g. ``terminal.yaml``)."""
        return self._entries[phrase_id].file

    def __contains__(self, phrase_id: object) -> bool:
        return phrase_id in self._entries

    def get(self, phrase_id: str, **params: Any) -> Phrase:
        """The entry ``phrase_id`` with ``{placeholders}`` filled from ``params``."""
        try:
            entry = self._entries[phrase_id]
        except KeyError:
            raise PhraseError(f"phrase pack {self.lang!r} has no id {phrase_id!r}") from None
        try:
            screen = entry.screen.format(**params)
            spoken = entry.spoken.format(**params)
        except (KeyError, IndexError) as exc:
            raise PhraseError(
                f"phrase {phrase_id!r} ({self.lang}) needs placeholder {exc}"
            ) from None
        return Phrase(
            phrase_id,
            unicodedata.normalize("NFC", screen),
            unicodedata.normalize("NFC", spoken),
            entry.say,
        )

    def screen(self, phrase_id: str, **params: Any) -> str:
        return self.get(phrase_id, **params).screen

    def spoken(self, phrase_id: str, **params: Any) -> str:
        return self.get(phrase_id, **params).spoken

    def join(self, phrase_id: str, items: list[dict[str, Any]], **params: Any) -> Phrase:
        """Phrase ``phrase_id`` with its ``{items}`` filled with one ``<phrase_id>_item`` per
        entry of ``items`` (each a dict of that phrase's placeholders), screen and spoken."""
        parts = [self.get(f"{phrase_id}_item", **item) for item in items]
        screen = self.get(phrase_id, **params, items=LIST_SEPARATOR.join(p.screen for p in parts))
        spoken = self.get(phrase_id, **params, items=LIST_SEPARATOR.join(p.spoken for p in parts))
        return Phrase(phrase_id, screen.screen, spoken.spoken, screen.say)

    def list_item(self, phrase_id: str) -> str | None:
        """``<phrase_id>_item`` when ``phrase_id`` is a list (has ``{items}``), else None."""
        item = f"{phrase_id}_item"
        if item in self._entries and LIST_FIELD in self.placeholders_of(phrase_id):
            return item
        return None

    def spoken_template(self, phrase_id: str) -> str:
        """The spoken text with its ``{placeholders}`` unfilled."""
        return self._entries[phrase_id].spoken

    def placeholders_of(self, phrase_id: str) -> frozenset[str]:
        entry = self._entries[phrase_id]
        return placeholders(entry.screen) | placeholders(entry.spoken)


def available_languages(root: Path = PACKS_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.yaml"))))


def load_pack_from(folder: Path, lang: str | None = None) -> PhrasePack:
    """Load every ``*.yaml`` file of ``folder`` as one pack; raise PhraseError naming the file."""
    entries: dict[str, _Entry] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise PhraseError(f"{folder}: no phrase files (*.yaml)")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise PhraseError(f"{path}: cannot read ({exc})") from None
        if not isinstance(data, dict):
            raise PhraseError(f"{path}: expected a mapping of id to phrase")
        for key, value in data.items():
            where = f"{path}: {key}"
            if not isinstance(key, str):
                raise PhraseError(f"{where}: id must be text")
            if key in entries:
                raise PhraseError(f"{where}: id already defined in {entries[key].file}")
            entries[key] = _parse_entry(where, value, path.name)
    return PhrasePack(lang or folder.name, entries)


def _parse_entry(where: str, value: Any, file: str) -> _Entry:
    if isinstance(value, str):
        value = {"screen": value}
    if not isinstance(value, dict) or not isinstance(value.get("screen"), str):
        raise PhraseError(f"{where}: expected text, or a mapping with 'screen' text")
    unknown = set(value) - {"screen", "spoken", "say"}
    if unknown:
        raise PhraseError(
            f"{where}: unknown field(s) {sorted(unknown)}; expected screen, spoken, say"
        )
    screen = value["screen"]
    spoken = value.get("spoken", screen)
    say = value.get("say", [])
    if not isinstance(spoken, str):
        raise PhraseError(f"{where}.spoken: expected text")
    if not isinstance(say, list) or not all(isinstance(s, str) and s.strip() for s in say):
        raise PhraseError(f"{where}.say: expected a list of non-empty texts")
    for field_name, text in (("screen", screen), ("spoken", spoken), *(("say", s) for s in say)):
        if not unicodedata.is_normalized("NFC", text):
            raise PhraseError(f"{where}.{field_name}: text is not in Unicode NFC form")
    if placeholders(screen) != placeholders(spoken):
        raise PhraseError(f"{where}: screen and spoken use different placeholders")
    return _Entry(screen, spoken, tuple(say), file)


@cache
def load_pack(lang: str = "vi") -> PhrasePack:
    """The shipped pack for ``lang`` (cached)."""
    folder = PACKS_DIR / lang
    if not folder.is_dir():
        raise PhraseError(f"no phrase pack for language {lang!r}; have {available_languages()}")
    return load_pack_from(folder, lang)
