"""Every spoken unit has a clip id; a sentence is a sequence of clips, with synthesis only for the
pieces that have no recorded clip.

Clip ids (stable, safe as file names):

- a phrase of the phrase pack without placeholders: its phrase id (``title_home``); phrases
  with the same spoken text share the clip of the first one in pack order;
- the fixed words of a phrase with placeholders ("Giấy tờ {number} trên {count}"): the id
  ``<phrase id>.<n>`` of its n-th stretch of words ("title_paper.1" = "Giấy tờ"), or a number
  piece when the stretch is one word of the reading rules ("trên" → ``word_tren``); the same
  stretch in several phrases shares one clip;
- a list ("Bấm {items}." filled with "{number} {label}" items, see ``voices.phrases``): each
  item planned on its own, its number from number pieces and its label from the label's own
  clip (a phrase, or a catalogue name's text clip);
- a catalogue text (each summary, who, paper explanation, where-to-get, fee, time...):
  ``t_<16 hex digits of SHA-256(language, exact text)>``, so a clip is used only while its text
  is unchanged;
- the words the Vietnamese reading rules (``voices.reading``) produce for numbers, money, dates,
  times, tickets and "Giấy tờ 4 trên 6": number pieces (``NUMBER_PIECES``: digits, "mươi",
  "trăm", "nghìn", "đồng", "trên", "số"...).

``Composer.plan`` turns one (phrase id, text) item of the dialogue into a tree of pieces: a
``Clip`` (play it if the pack has it, recorded for exactly this text, else its fallback),
``Speech`` (text for the synthesiser) and ``Pause`` (punctuation between clips).
``realise(pieces, has)`` resolves the tree against a pack into what is played: recorded clips,
synthesised stretches (neighbouring unrecorded pieces merged into one utterance, so the
synthesiser keeps its sentence melody) and silences. With no clip at all, the synthesised text
is exactly ``speakable(text)``.

``Composer.script()`` lists every clip id with its text, grouped as the studio shows them: the
screens of a visit in order (``terminal.yaml``), the shared phrases, the slip, each procedure,
then the number pieces.
"""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from voices.phrases import LIST_FIELD, LIST_SEPARATOR, PhrasePack
from voices.reading import speakable, speakable_parts

NUMBER_PIECES: tuple[tuple[str, str], ...] = (
    ("num_0", "không"), ("num_1", "một"), ("num_2", "hai"), ("num_3", "ba"), ("num_4", "bốn"),
    ("num_5", "năm"), ("num_6", "sáu"), ("num_7", "bảy"), ("num_8", "tám"), ("num_9", "chín"),
    ("num_10", "mười"), ("num_tens", "mươi"), ("num_1_mot", "mốt"), ("num_4_tu", "tư"),
    ("num_5_lam", "lăm"), ("num_hundred", "trăm"), ("num_thousand", "nghìn"),
    ("num_million", "triệu"), ("num_billion", "tỷ"), ("num_linh", "linh"), ("num_le", "lẻ"),
    ("num_point", "phẩy"), ("num_minus", "âm"),
    ("word_so", "số"), ("word_tren", "trên"), ("word_den", "đến"), ("word_dong", "đồng"),
    ("word_phan", "phần"), ("word_ngay", "ngày"), ("word_mung", "mùng"),
    ("word_thang", "tháng"), ("word_gio", "giờ"), ("word_phut", "phút"),
    ("letter_a", "a"), ("letter_u", "u"), ("letter_q", "quy"),
)  # fmt: skip
"""(clip id, word): the recorded pieces numbers, money, dates, times and tickets are built
from. "năm" (five) and "năm" (year) are one word and one clip."""
PIECE_BY_WORD: dict[str, str] = {word: pid for pid, word in NUMBER_PIECES}
PIECE_WORDS: dict[str, str] = dict(NUMBER_PIECES)
UNUSED_PIECES: dict[str, frozenset[str]] = {
    "north": frozenset({"num_le"}),
    "central": frozenset({"num_linh"}),
    "south": frozenset({"num_linh"}),
}
"""Pieces a variant's reading rules never use ("linh" in the north, "lẻ" elsewhere)."""

PAUSES: dict[str, float] = {",": 0.15, ";": 0.2, ":": 0.2, ".": 0.3, "?": 0.3, "!": 0.3}
"""Silence (seconds) for punctuation between two recorded clips."""
ITEM_PAUSE = 0.3
"""Silence between two items of a prompt (title, line, option...) when a clip ends one."""
SCRIPT_SECTIONS = ("visit", "phrases", "slip", "procedures", "numbers")
"""The studio's order: the screens of a visit, shared phrases, the slip, procedures, numbers."""
NOT_SPOKEN = ("speech_number_", "speech_courtesy_")
"""Phrase ids that are only what a resident may say, never spoken by the terminal (numbers, the
polite words around an answer): no clip is recorded for them."""
DIGIT_FIELDS = frozenset({"number", "count"})
"""Placeholders that always hold digits (a list item's number, "Giấy tờ 4 trên 6")."""
_PUNCT = ",.;:!?"
_END_MARKS = ".?!"


def text_clip_id(lang: str, text: str) -> str:
    """The clip id of a catalogue text: a hash of the language and the exact (NFC) text."""
    raw = f"{lang}\x1f{unicodedata.normalize('NFC', text).strip()}"
    return "t_" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def is_spoken_file(name: str) -> bool:
    """Phrase files the terminal speaks from (the desk's files are pages, not speech)."""
    return not name.startswith("desk")


# -- pieces -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Speech:
    """Text for the synthesiser, already in speakable form, with its spaces."""

    text: str


@dataclass(frozen=True, slots=True)
class Pause:
    """Punctuation: merged into synthesised text, or a silence between clips."""

    text: str
    seconds: float
    hard: bool = False
    """Between two items: never merged into synthesis (each item is its own utterance, and
    the synthesiser ends each with its own silence); a silence only after a clip."""


@dataclass(frozen=True, slots=True)
class Clip:
    """Play clip ``id`` when the pack holds one recorded for ``text``; else ``fallback``."""

    id: str
    text: str
    fallback: tuple[Piece, ...]


Piece = Clip | Speech | Pause


@dataclass(frozen=True, slots=True)
class PlayClip:
    id: str


@dataclass(frozen=True, slots=True)
class Synth:
    text: str


@dataclass(frozen=True, slots=True)
class Silence:
    seconds: float


Segment = PlayClip | Synth | Silence
"""What is played, in order."""


def realise(
    pieces: Iterable[Piece], has: Callable[[str, str], bool], tts: bool = True
) -> tuple[Segment, ...]:
    """The pieces resolved against a pack: ``has(clip_id, text)`` says whether a clip recorded
    for ``text`` exists. Unrecorded neighbours merge into one synthesised stretch; without
    ``tts`` (no synthesiser for the language) they are left out."""
    out: list[Segment] = []

    def walk(items: Iterable[Piece]) -> None:
        for p in items:
            if isinstance(p, Clip):
                if has(p.id, p.text):
                    out.append(PlayClip(p.id))
                else:
                    walk(p.fallback)
            elif isinstance(p, Pause) and p.hard:
                if out:
                    out.append(Silence(p.seconds if isinstance(out[-1], PlayClip) else 0.0))
            elif isinstance(p, Speech) or (out and isinstance(out[-1], Synth)):
                # text, or punctuation after text: the synthesiser reads it in one stretch
                if out and isinstance(out[-1], Synth):
                    out[-1] = Synth(out[-1].text + p.text)
                else:
                    out.append(Synth(p.text))
            elif out and isinstance(out[-1], Silence):
                out[-1] = Silence(max(out[-1].seconds, p.seconds))
            elif out:
                out.append(Silence(p.seconds))

    walk(pieces)
    tidy: list[Segment] = []
    for seg in out:
        if isinstance(seg, Synth):
            text = re.sub(r"[ \t]+", " ", seg.text).strip()
            if not tts or not text or not any(ch.isalnum() for ch in text):
                continue
            seg = Synth(text)
        if isinstance(seg, Silence) and (
            not seg.seconds or not tidy or isinstance(tidy[-1], Silence)
        ):
            continue
        tidy.append(seg)
    while tidy and isinstance(tidy[-1], Silence):
        tidy.pop()
    return tuple(tidy)


def clip_ids(pieces: Iterable[Piece]) -> list[str]:
    """Every clip id a plan may play (first choices and fallbacks), in order."""
    found: list[str] = []
    for p in pieces:
        if isinstance(p, Clip):
            found.append(p.id)
            found += clip_ids(p.fallback)
    return found


# -- the script ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CatalogueSection:
    """Catalogue texts to record, as the studio groups them (one procedure, the groups...)."""

    key: str
    """Stable key, e.g. the procedure code."""
    title: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScriptEntry:
    """One clip to record."""

    id: str
    text: str
    """The exact words to say."""
    section: str
    """"visit", "phrases", "slip", "procedures" or "numbers"."""
    group: str
    """A heading inside the section (a screen, a procedure)."""
    group_key: str = ""
    """The group's stable key: the first phrase id of a template, a procedure code..."""
    also: tuple[str, ...] = ()
    """Other phrase ids that use the same clip."""


@dataclass(frozen=True)
class _Template:
    pid: str
    regex: re.Pattern[str]
    parts: tuple[tuple[str, str], ...]
    """("lit", text) or ("field", name), in order."""
    letters: int
    """How many letters the fixed words hold (the best match holds the most)."""


def _split_punct(text: str) -> tuple[str, str, str]:
    """(leading punctuation and spaces, core words, trailing punctuation and spaces)."""
    m = re.fullmatch(r"([\s" + _PUNCT + r"]*)(.*?)([\s" + _PUNCT + r"]*)", text, re.S)
    assert m is not None
    return m[1], m[2], m[3]


def _pause_of(text: str) -> Piece:
    marks = [PAUSES[ch] for ch in text if ch in PAUSES]
    return Pause(text, max(marks)) if marks else Speech(text)


class Composer:
    """Plans speech as clips for one phrase pack, reading variant and set of catalogue texts."""

    def __init__(
        self,
        pack: PhrasePack,
        variant: str = "north",
        catalogue: Iterable[CatalogueSection | tuple[str, str, tuple[str, ...]]] = (),
    ) -> None:
        """``catalogue``: sections of catalogue texts, or (key, title, texts) tuples as
        ``procedures.spoken.spoken_sections`` gives them."""
        self.pack = pack
        self.lang = pack.lang
        self.variant = variant
        catalogue = tuple(
            s if isinstance(s, CatalogueSection) else CatalogueSection(*s) for s in catalogue
        )
        self.catalogue = catalogue
        self._texts = {unicodedata.normalize("NFC", t).strip() for s in catalogue for t in s.texts}
        self._texts.discard("")
        self._phrase_by_text: dict[str, str] = {}
        self._literal_ids: dict[str, str] = {}
        self._templates: list[_Template] = []
        self._literal_of: dict[tuple[str, int], str] = {}
        spoken_ids = [
            pid
            for pid in pack.ordered_ids
            if is_spoken_file(pack.file_of(pid)) and not pid.startswith(NOT_SPOKEN)
        ]
        for pid in spoken_ids:
            if not pack.placeholders_of(pid):
                self._phrase_by_text.setdefault(pack.spoken(pid).strip(), pid)
        for pid in spoken_ids:
            if not pack.placeholders_of(pid):
                self._phrase_by_text.setdefault(pack.screen(pid).strip(), pid)
        # a menu says a choice's label without its full stop ("8 Xem thêm, …")
        self._phrase_by_label = dict(self._phrase_by_text)
        for text, pid in self._phrase_by_text.items():
            self._phrase_by_label.setdefault(text.rstrip(_END_MARKS).rstrip(), pid)
        for pid in spoken_ids:
            if pack.placeholders_of(pid):
                self._templates.append(self._template(pid))
        self._template_of = {t.pid: t for t in self._templates}
        self._spoken_ids = tuple(spoken_ids)

    # -- ids ----------------------------------------------------------------------------------
    def _template(self, pid: str) -> _Template:
        source = self.pack.spoken_template(pid)
        regex, parts, seen, letters, n = "", [], set(), 0, 0
        for literal, field, _, _ in string.Formatter().parse(source):
            if literal:
                parts.append(("lit", literal))
                regex += re.escape(literal)
                core = _split_punct(literal)[1]
                if core:
                    n += 1
                    letters += sum(ch.isalpha() for ch in core)
                    self._literal_of[(pid, len(parts) - 1)] = self._literal_id(core, f"{pid}.{n}")
            if field:
                parts.append(("field", field))
                value = r"\d+" if field in DIGIT_FIELDS else ".+?"
                regex += f"(?P={field})" if field in seen else f"(?P<{field}>{value})"
                seen.add(field)
        return _Template(pid, re.compile(regex, re.S), tuple(parts), letters)

    def _literal_id(self, core: str, fresh: str) -> str:
        if core in self._phrase_by_text:
            return self._phrase_by_text[core]
        if core.lower() in PIECE_BY_WORD:
            return PIECE_BY_WORD[core.lower()]
        return self._literal_ids.setdefault(core, fresh)

    def canonical(self, phrase_id: str) -> str:
        """The phrase whose clip speaks ``phrase_id`` (the first with the same spoken text)."""
        if phrase_id not in self.pack or self.pack.placeholders_of(phrase_id):
            return phrase_id
        return self._phrase_by_text.get(self.pack.spoken(phrase_id).strip(), phrase_id)

    # -- planning -----------------------------------------------------------------------------
    def plan(self, text: str, phrase_id: str | None = None) -> tuple[Piece, ...]:
        """The pieces of one item: its phrase clip, its template's words and values, catalogue
        text clips and number pieces, each with the synthesiser as the last resort."""
        text = unicodedata.normalize("NFC", text)
        if not text.strip():
            return ()
        if phrase_id and phrase_id in self.pack:
            if not self.pack.placeholders_of(phrase_id):
                spoken = self.pack.spoken(phrase_id).strip()
                inner = self._resolve(text, 0)
                best = self.canonical(phrase_id)
                if best != phrase_id:
                    inner = (Clip(best, spoken, inner),)
                return (Clip(phrase_id, spoken, inner),)
            own = self._template_of.get(phrase_id)
            if own is not None and (m := own.regex.fullmatch(text.strip())):
                return self._fill(own, m, text)
        return self._resolve(text, 0)

    def plan_items(self, items: Iterable[tuple[str | None, str]]) -> tuple[Piece, ...]:
        """A whole prompt: each item planned, with a pause between items."""
        pieces: list[Piece] = []
        for phrase_id, text in items:
            planned = self.plan(text, phrase_id)
            if not planned:
                continue
            if pieces:
                pieces.append(Pause("", ITEM_PAUSE, hard=True))
            pieces += planned
        return tuple(pieces)

    def _resolve(self, text: str, depth: int) -> tuple[Piece, ...]:
        lead, core, trail = re.fullmatch(r"(\s*)(.*?)(\s*)", text, re.S).groups()  # type: ignore[union-attr]
        if not core:
            return (Speech(text),) if text else ()
        inner = self._resolve_core(core, depth)
        return (*((Speech(lead),) if lead else ()), *inner, *((Speech(trail),) if trail else ()))

    def _resolve_core(self, core: str, depth: int) -> tuple[Piece, ...]:
        pid = self._phrase_by_label.get(core)
        if pid is not None:
            return (Clip(pid, self.pack.spoken(pid).strip(), self._read(core)),)
        if depth < 4:
            matches = [
                (t, m) for t in self._templates if t.letters and (m := t.regex.fullmatch(core))
            ]
            if matches:
                template, m = max(matches, key=lambda tm: tm[0].letters)
                return self._fill(template, m, core, depth)
        read = self._read(core)
        if core not in self._texts:
            bare = core.rstrip(_END_MARKS)
            if depth < 4 and bare != core and bare in self._texts:
                # a catalogue text said as a sentence of its own ("Thẻ căn cước." on a slip)
                return (*self._resolve_core(bare, depth + 1), _pause_of(core[len(bare) :]))
            if depth < 4 and ": " in core:
                return self._split(core, depth)
            if depth < 4 and all(self._known(part) for part in core.split(", ")):
                return self._split(core, depth, ", ")  # a list of papers, of needs...
            return read
        fallback = self._split(core, depth) if depth < 4 and ": " in core else read
        return (Clip(text_clip_id(self.lang, core), core, fallback),)

    def _known(self, text: str) -> bool:
        text = text.strip()
        if text in self._texts or text in self._phrase_by_label:
            return True
        # "hoặc giấy chứng sinh điện tử": a list's later item
        return self._joined(text) is not None

    def _joined(self, text: str) -> tuple[str, str] | None:
        """("hoặc", "giấy ...") for a list item that starts with a recorded joining word
        (a phrase of its own, such as the slip's "hoặc"), else None."""
        word, _, rest = text.partition(" ")
        if rest and word in self._phrase_by_label and rest.strip() in self._texts:
            return word, rest
        return None

    def _split(self, core: str, depth: int, mark: str = ": ") -> tuple[Piece, ...]:
        pieces: list[Piece] = []
        for i, part in enumerate(core.split(mark)):
            if i:
                pieces.append(Pause(mark, PAUSES[mark[0]]))
            joined = self._joined(part) if i else None
            if joined is not None:
                word, rest = joined
                pieces += self._resolve(word, depth + 1)
                pieces.append(Speech(" "))
                pieces += self._resolve(rest, depth + 1)
            else:
                pieces += self._resolve(part, depth + 1)
        return tuple(pieces)

    def _fill(
        self, template: _Template, m: re.Match[str], text: str, depth: int = 0
    ) -> tuple[Piece, ...]:
        lead = text[: len(text) - len(text.lstrip())]
        pieces: list[Piece] = [Speech(lead)] if lead else []
        last_word = ""
        for i, (kind, value) in enumerate(template.parts):
            if kind == "lit":
                before, core, after = _split_punct(value)
                if before:
                    pieces.append(_pause_of(before))
                if core:
                    cid = self._literal_of[(template.pid, i)]
                    words = PIECE_WORDS.get(cid) or (
                        self.pack.spoken(cid).strip() if cid in self.pack else core
                    )
                    pieces.append(Clip(cid, words, self._read(core)))
                    last_word = core.split()[-1].lower()
                if after:
                    pieces.append(_pause_of(after))
                continue
            item = self.pack.list_item(template.pid) if value == LIST_FIELD else None
            if item is not None and item in self._template_of:
                filled = self._list(self._template_of[item], m[value], depth + 1)
            else:
                filled = self._resolve(m[value], depth + 1)
            pieces += _drop_repeat(filled, last_word)
            last_word = ""
        trail = text[len(text.rstrip()) :]
        return (*pieces, *((Speech(trail),) if trail else ()))

    def _list(self, item: _Template, text: str, depth: int) -> tuple[Piece, ...]:
        """A list field ("1 Hộ tịch, 2 Chứng thực"): cut at each separator that starts a new
        item (a label may hold a comma: "1 Đúng, in phiếu"), each item planned from its own
        template, a comma's pause between items."""
        parts: list[str] = []
        for part in text.split(LIST_SEPARATOR):
            if parts and not item.regex.fullmatch(part):
                parts[-1] += LIST_SEPARATOR + part
            else:
                parts.append(part)
        pieces: list[Piece] = []
        for i, part in enumerate(parts):
            if i:
                pieces.append(_pause_of(LIST_SEPARATOR))
            m = item.regex.fullmatch(part)
            pieces += self._fill(item, m, part, depth) if m else self._resolve(part, depth)
        return tuple(pieces)

    def _read(self, text: str) -> tuple[Piece, ...]:
        """Text as the synthesiser reads it, with the reading rules' words as number pieces."""
        pieces: list[Piece] = []
        parts = speakable_parts(text, self.lang, self.variant)
        for i, (part, read) in enumerate(parts):
            if not read:
                after = i > 0 and parts[i - 1][1]
                before = i + 1 < len(parts) and parts[i + 1][1]
                pieces += _plain(part, after, before)
                continue
            end = 0
            for tok in re.finditer(r"(\s*)([^\s" + _PUNCT + r"]+|[" + _PUNCT + r"]+)", part):
                space, word = tok[1], tok[2]
                end = tok.end()
                if word[0] in _PUNCT:
                    pieces.append(_pause_of(space + word))
                elif word.lower() in PIECE_BY_WORD:
                    pid = PIECE_BY_WORD[word.lower()]
                    pieces.append(Clip(pid, PIECE_WORDS[pid], (Speech(space + word),)))
                else:
                    pieces.append(Speech(space + word))
            if part[end:]:
                pieces.append(Speech(part[end:]))
        return tuple(pieces)

    # -- the script ---------------------------------------------------------------------------
    @cached_property
    def _script(self) -> tuple[ScriptEntry, ...]:
        entries: dict[str, ScriptEntry] = {}
        also: dict[str, list[str]] = {}

        def add(entry: ScriptEntry) -> None:
            if entry.id in entries:
                return
            entries[entry.id] = entry

        screen = ""
        for pid in self._spoken_ids:
            file = self.pack.file_of(pid)
            section = {"terminal.yaml": "visit", "slip.yaml": "slip"}.get(file, "phrases")
            if section == "visit" and pid.startswith("title_"):
                screen = self.pack.screen(pid) if not self.pack.placeholders_of(pid) else pid
            group = screen if section == "visit" else file.removesuffix(".yaml")
            if not self.pack.placeholders_of(pid):
                best = self.canonical(pid)
                if best != pid:
                    also.setdefault(best, []).append(pid)
                    continue
                add(ScriptEntry(pid, self.pack.spoken(pid).strip(), section, group, pid))
                continue
            template = self._template_of[pid]
            for i, (kind, value) in enumerate(template.parts):
                cid = self._literal_of.get((pid, i)) if kind == "lit" else None
                if cid is None or cid in PIECE_WORDS or cid in self.pack:
                    continue
                add(ScriptEntry(cid, _split_punct(value)[1], section, group, pid))
        for sec in self.catalogue:
            for text in sec.texts:
                core = unicodedata.normalize("NFC", text).strip()
                if core:
                    add(
                        ScriptEntry(
                            text_clip_id(self.lang, core), core, "procedures", sec.title, sec.key
                        )
                    )
        if self.lang == "vi":
            unused = UNUSED_PIECES.get(self.variant, frozenset())
            for pid, word in NUMBER_PIECES:
                if pid not in unused:
                    add(ScriptEntry(pid, word, "numbers", "numbers", "numbers"))
        result = []
        for entry in entries.values():
            if entry.id in also:
                entry = ScriptEntry(
                    entry.id,
                    entry.text,
                    entry.section,
                    entry.group,
                    entry.group_key,
                    tuple(also[entry.id]),
                )
            result.append(entry)
        return tuple(sorted(result, key=lambda e: SCRIPT_SECTIONS.index(e.section)))

    def script(self) -> tuple[ScriptEntry, ...]:
        """Every clip to record, in studio order, each once."""
        return self._script

    def speakable(self, text: str) -> str:
        return speakable(text, self.lang, self.variant)


def _plain(text: str, after_number: bool, before_number: bool) -> list[Piece]:
    """Text outside the reading rules, for the synthesiser; a number word right beside a number
    is its piece, whatever its case ("Số 7", "Năm 2026", "7 ngày": ``word_so``, ``num_5``...)."""
    tokens = re.split(r"(\w+)", text)  # words at odd indexes
    edges = set()
    if len(tokens) > 1 and after_number and not tokens[0].strip():
        edges.add(1)
    if len(tokens) > 1 and before_number and not tokens[-1].strip():
        edges.add(len(tokens) - 2)
    pieces: list[Piece] = []
    stretch = ""
    for i, token in enumerate(tokens):
        pid = PIECE_BY_WORD.get(token.lower()) if i in edges else None
        if pid is None:
            stretch += token
            continue
        if stretch:
            pieces.append(Speech(stretch))
        pieces.append(Clip(pid, PIECE_WORDS[pid], (Speech(token),)))
        stretch = ""
    return [*pieces, Speech(stretch)] if stretch else pieces


def _drop_repeat(pieces: tuple[Piece, ...], last_word: str) -> tuple[Piece, ...]:
    """A value read as "ngày 23 ..." right after fixed words ending in "ngày": the reading rules
    read the whole sentence with one "ngày", so the value's own first word is dropped."""
    if not last_word:
        return pieces
    for i, p in enumerate(pieces):
        if isinstance(p, Speech) and not p.text.strip():
            continue
        if isinstance(p, Clip) and p.id in PIECE_WORDS and p.text == last_word:
            return pieces[:i] + pieces[i + 1 :]
        return pieces
    return pieces
