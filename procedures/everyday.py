"""The everyday-language layer: data files a content editor extends, read and checked here.

``procedures/everyday/`` holds three YAML files (each one documents its fields at the top):

* ``variants.yaml``: everyday, regional, kinship and euphemistic words → the catalogue's words
  ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất", "tía" → "cha", "về với ông bà" → "chết"), and
  the words that mean "died" only after a person ("má tui mất rồi");
* ``fillers.yaml``: words that carry no meaning for choosing (ạ, ờ, thì, cái, tui ...);
* ``referrals.yaml``: what the centre does not do (ID card, passport, divorce ...), how residents
  ask for it, and where to go instead;
* ``focus.yaml``: the words that start what a long request asks for ("muốn", "xin"), the words
  that start its background ("đang lãnh ...", "để làm ..."), the words that end either, and the
  words after which comes what the resident does *not* ask for ("chứ không phải bản sao").

``load_everyday()`` never raises for bad content: every problem is a ``CatalogueError`` (file,
field, what is wrong, what is expected, line) and the bad entry is left out, like the procedure
files. ``hotro procedures check`` prints them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from procedures.problems import CatalogueError

__all__ = [
    "EVERYDAY_FILES",
    "Everyday",
    "Focus",
    "Referral",
    "Variant",
    "default_everyday_directory",
    "load_everyday",
    "shipped_everyday",
]

EVERYDAY_FILES = ("variants.yaml", "fillers.yaml", "referrals.yaml", "focus.yaml")
"""The files of the everyday-language folder."""

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARENT_RE = re.compile(r"(\.[^.\[]+|\[\d+\])$")


@dataclass(frozen=True, slots=True)
class Variant:
    """Everyday words that mean the catalogue's ``official`` words."""

    official: str
    """What the everyday words are rewritten to (lower case)."""
    everyday: tuple[str, ...]
    """What residents say (lower case, with accents)."""
    unaccented: bool
    """Also rewrite text typed without accents (the folded words are no other ordinary word)."""


@dataclass(frozen=True, slots=True)
class Referral:
    """Something the centre does not do, and where to go instead."""

    id: str
    """Short id, e.g. "id_card"."""
    name: str
    """A few Vietnamese words naming it (a heading)."""
    text: str
    """Where to go instead: one or two plain Vietnamese sentences."""
    text_en: str
    """The same in English."""
    words: tuple[str, ...]
    """How residents ask for it (lower case, with accents)."""

    def text_for(self, lang: str) -> str:
        """The referral in ``lang`` (Vietnamese for any language but English)."""
        return self.text_en if lang == "en" else self.text


@dataclass(frozen=True, slots=True)
class Focus:
    """The words that split a long request into what it asks for and its story."""

    request: tuple[str, ...] = ()
    """Words that start what the resident asks for ("muốn", "cần", "xin")."""
    background: tuple[str, ...] = ()
    """Words that start a part that only tells the story ("đang lãnh", "để làm")."""
    breaks: tuple[str, ...] = ()
    """Words that end a request or background part ("thì", "mà", "giờ")."""
    negation: tuple[str, ...] = ()
    """Words after which come what the resident does not ask for ("chứ không phải")."""


@dataclass(frozen=True)
class Everyday:
    """Everything the everyday-language files hold, and the problems found reading them."""

    variants: tuple[Variant, ...] = ()
    died_after_person: tuple[str, ...] = ()
    """Words meaning "died" only when a person comes just before ("mất", "đi rồi")."""
    persons: tuple[str, ...] = ()
    """Words naming a person (cha, mẹ, ông, bà ...), for ``died_after_person``."""
    fillers: tuple[str, ...] = ()
    keep_unaccented: frozenset[str] = frozenset()
    """Fillers kept in text typed without accents (they are content words there)."""
    referrals: tuple[Referral, ...] = ()
    certify_words: tuple[str, ...] = ()
    """Words that keep a request with the procedures whatever it names ("công chứng hộ
    chiếu" is a certified copy, done here) ..."""
    certify_done: tuple[str, ...] = ()
    """... unless one of these stands within two words ("đã công chứng xong")."""
    focus: Focus = field(default_factory=Focus)
    """The words that tell a long request's ask from its story (``focus.yaml``)."""
    errors: tuple[CatalogueError, ...] = ()
    directory: Path | None = None

    def referral(self, referral_id: str) -> Referral | None:
        """The referral with this id, or None."""
        return next((r for r in self.referrals if r.id == referral_id), None)


def default_everyday_directory() -> Path:
    """The shipped folder: ``procedures/everyday``."""
    return Path(__file__).resolve().parent / "everyday"


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _File:
    """One file's data, the line of each field path, and its errors."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.errors: list[CatalogueError] = []
        self.lines: dict[str, int] = {}
        self.data: Any = None
        if not path.is_file():
            self.add("", "the file is missing", f"a {path.name} in {path.parent}")
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add("", f"cannot be read ({exc})", "a readable UTF-8 file")
            return
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            self.data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            at = f" at line {line}" if line else ""
            self.add("", f"is not valid YAML{at}: {what}", "valid YAML (indentation, quotes)")
            return
        finally:
            loader.dispose()
        self._map(node, "")

    def _map(self, node: yaml.Node | None, path: str) -> None:
        if node is None:
            return
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                self.lines[sub] = key.start_mark.line + 1
                self._map(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._map(item, f"{path}[{i + 1}]")

    def add(self, path: str, problem: str, expected: str) -> None:
        where = path  # a missing field has no line of its own: take its item's line
        while where and where not in self.lines:
            parent = _PARENT_RE.sub("", where)
            where = "" if parent == where else parent
        line = self.lines.get(where) if where else None
        self.errors.append(CatalogueError(self.name, path, problem, expected, line))

    def top(self, keys: Mapping[str, bool]) -> dict[str, Any]:
        """The top-level mapping with its known keys (``keys``: name → required)."""
        if self.data is None and self.errors:
            return {}
        if not isinstance(self.data, dict):
            self.add("", "is not a mapping", "keys " + ", ".join(keys) + " at the top")
            return {}
        for key in self.data:
            if key not in keys:
                self.add(str(key), "is not a known field", "one of: " + ", ".join(keys))
        for key, required in keys.items():
            if required and key not in self.data:
                self.add(key, "is missing", f"a {key}: list")
        return self.data

    def word(self, value: Any, path: str, *, lower: bool = True) -> str | None:
        """A non-empty NFC text (lower case when ``lower``), or None after recording why not."""
        if not isinstance(value, str) or not value.strip():
            self.add(path, f"is {_kind(value)}", "some text (in quotes if it looks like a number)")
            return None
        if not unicodedata.is_normalized("NFC", value):
            self.add(path, f"'{value}' is not in NFC form", "NFC text (re-type the accents)")
            return None
        value = " ".join(value.split())
        if lower and value != value.lower():
            self.add(path, f"'{value}' has capital letters", f"lower case: '{value.lower()}'")
            return None
        return value

    def words(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.add(path, f"is {_kind(value)}", "a list of words, e.g. [sổ đỏ, bìa đỏ]")
            return ()
        out = [self.word(item, f"{path}[{i}]") for i, item in enumerate(value, start=1)]
        return tuple(w for w in out if w is not None)

    def optional_words(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """The word list under ``key`` of ``data``, or () when the key is absent."""
        return self.words(data[key], key) if key in data else ()

    def items(self, data: Mapping[str, Any], key: str, what: str) -> list[Any]:
        """The list under ``key`` (recording an error when it is not a list)."""
        raw = data.get(key)
        if key in data and not isinstance(raw, list):
            self.add(key, f"is {_kind(raw)}", what)
            return []
        return raw or []

    def fields(self, item: Any, path: str, keys: Mapping[str, bool]) -> dict[str, Any] | None:
        if not isinstance(item, dict):
            self.add(path, f"is {_kind(item)}", "a mapping: " + ", ".join(keys))
            return None
        ok = True
        for key in item:
            if key not in keys:
                self.add(f"{path}.{key}", "is not a known field", "one of: " + ", ".join(keys))
                ok = False
        for key, required in keys.items():
            if required and key not in item:
                self.add(f"{path}.{key}", "is missing", f"a {key} field")
                ok = False
        return item if ok else None


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "empty" if not value.strip() else f"a text ('{value[:40]}')"
    return type(value).__name__


def _variants(f: _File) -> tuple[tuple[Variant, ...], tuple[str, ...], tuple[str, ...]]:
    data = f.top({"variants": True, "died_after_person": False, "persons": False})
    out: list[Variant] = []
    raw = f.items(data, "variants", "a list of {official, unaccented, everyday}")
    keys = {"official": True, "everyday": True, "unaccented": False}
    for i, item in enumerate(raw, start=1):
        p = f"variants[{i}]"
        d = f.fields(item, p, keys)
        if d is None:
            continue
        before = len(f.errors)
        official = f.word(d["official"], f"{p}.official")
        everyday = f.words(d["everyday"], f"{p}.everyday")
        unaccented = d.get("unaccented", False)
        if not isinstance(unaccented, bool):
            f.add(f"{p}.unaccented", f"is {_kind(unaccented)}", "yes or no")
        if len(f.errors) == before and official:
            out.append(Variant(official, everyday, bool(unaccented)))
    return (
        tuple(out),
        f.optional_words(data, "died_after_person"),
        f.optional_words(data, "persons"),
    )


def _fillers(f: _File) -> tuple[tuple[str, ...], frozenset[str]]:
    data = f.top({"fillers": True, "keep_unaccented": False})
    fillers = f.optional_words(data, "fillers")
    keep = f.optional_words(data, "keep_unaccented")
    for i, word in enumerate(keep, start=1):
        if not word.isascii():
            f.add(f"keep_unaccented[{i}]", f"'{word}' has accents", "the word without accents")
    return fillers, frozenset(w for w in keep if w.isascii())


def _referrals(
    f: _File,
) -> tuple[tuple[Referral, ...], tuple[str, ...], tuple[str, ...]]:
    data = f.top({"referrals": True, "certify_words": False, "certify_done": False})
    certify = f.optional_words(data, "certify_words")
    done = f.optional_words(data, "certify_done")
    raw = f.items(data, "referrals", "a list of referrals")
    keys = {"id": True, "name": True, "text": True, "text_en": True, "words": True}
    out: list[Referral] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        p = f"referrals[{i}]"
        d = f.fields(item, p, keys)
        if d is None:
            continue
        before = len(f.errors)
        rid = f.word(d["id"], f"{p}.id")
        if rid is not None and not _ID_RE.match(rid):
            f.add(f"{p}.id", f"'{rid}' is not a valid id", "lower-case letters, digits and _")
        elif rid is not None and rid in seen:
            f.add(f"{p}.id", f"'{rid}' is used twice", "each id once")
        name = f.word(d["name"], f"{p}.name", lower=False)
        text = f.word(d["text"], f"{p}.text", lower=False)
        text_en = f.word(d["text_en"], f"{p}.text_en", lower=False)
        words = f.words(d["words"], f"{p}.words")
        if len(f.errors) == before and rid and name and text and text_en:
            seen.add(rid)
            out.append(Referral(rid, name, text, text_en, words))
    return tuple(out), certify, done


def _focus(f: _File) -> Focus:
    keys = ("request", "background", "breaks", "negation")
    data = f.top(dict.fromkeys(keys, False))
    return Focus(*(f.words(data[k], k) if k in data else () for k in keys))


def load_everyday(directory: Path | str | None = None) -> Everyday:
    """Read and check the everyday-language folder (default: the shipped one)."""
    folder = Path(directory) if directory is not None else default_everyday_directory()
    files = {name: _File(folder / name) for name in EVERYDAY_FILES}
    variants, died, persons = _variants(files["variants.yaml"])
    fillers, keep = _fillers(files["fillers.yaml"])
    referrals, certify, done = _referrals(files["referrals.yaml"])
    focus = _focus(files["focus.yaml"])
    errors = tuple(e for f in files.values() for e in f.errors)
    return Everyday(
        variants, died, persons, fillers, keep, referrals, certify, done, focus, errors, folder
    )


@lru_cache(maxsize=1)
def shipped_everyday() -> Everyday:
    """The shipped everyday-language data, read once."""
    return load_everyday()
