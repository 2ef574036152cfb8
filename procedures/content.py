"""Content checks: the catalogue's words tell the truth, plainly, to someone who reads slowly.

``check_content(catalogue, reader=...)`` returns a ``CatalogueError`` (file, field, problem,
expected, line) for every text a resident reads or hears that breaks a rule of
``procedures/data/content-rules.yaml``. Kinds, each with its ``Finding.kind``:

* ``long_sentence``: a sentence longer than ``max_syllables`` (words between spaces);
* ``unexplained_term``: a word from ``terms`` with no explanation in the same text (right after
  it: "là", "tức là", "nghĩa là", "(" or ":"; or before it: "gọi là"), or an abbreviation from
  ``abbreviations`` at all;
* ``paper_name``: a paper's name that does not read right in "Ông/bà đã có … chưa?" (it must
  start with one of ``paper_heads``, hold no sentence punctuation and no "chưa"/"rồi"/"không",
  and be at most ``max_paper_syllables`` long);
* ``unsure_fact``: a fact a procedure's ``unsure:`` names that is stated without a hedge (one of
  ``hedges``): a paper must be left out or hedged in its note or case; ``papers`` (which papers)
  is hedged in the summary; a text field in that field itself;
* ``english_word``: the speech reader (``reader``, e.g. ``voices.reading.speakable``) leaves a
  word from ``english`` that would be said the English way ("photo" → write "phô tô");
* ``date_reading``: the speech reader says a day 1 to 10 without "mùng" ("ngày 1 tháng 6" →
  "ngày một tháng sáu"; write "ngày mùng 1 tháng 6" or "1/6").

The same paper has the same name everywhere because papers are named once, in ``papers.yaml``;
the loader refuses a paper named in a procedure file and two papers whose names differ only in
accents, case or small words (see ``procedures.catalogue``).

A "text" for the terms rule is what a resident meets together: a procedure's screen (short and
spoken names, summary, who, fee, time, result), a paper of ``papers.yaml`` (name, explanation,
where to get it, usual case, and for a paper with alternatives their names), a procedure's paper
entry (its note and case, with the paper's own texts), a group (name and spoken name), a
distinguishing question of ``questions.yaml`` with its answers.

This module imports nothing of ours beyond ``procedures``: the speech reader is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from procedures.catalogue import (
    GROUPS_FILE,
    PAPERS_FILE,
    QUESTIONS_FILE,
    RULES_FILE,
    SERVICES_FILE,
    Catalogue,
    CatalogueError,
    default_directory,
    field_lines,
    line_of,
)
from procedures.model import Procedure, SharedPaper, in_sentence

__all__ = [
    "KINDS",
    "ContentRules",
    "Finding",
    "check_content",
    "load_rules",
    "sentences",
    "syllables",
]

KINDS = (
    "long_sentence",
    "unexplained_term",
    "paper_name",
    "unsure_fact",
    "english_word",
    "date_reading",
)
"""Every kind of content problem, in the order they are checked."""

Reader = Callable[[str], str]
"""Screen text in, what the speech synthesiser is given out (``voices.reading.speakable``)."""

TEXT_FIELDS = ("short_name", "spoken_name", "summary", "who", "fee", "time", "result")
"""A procedure's resident-facing text fields, in screen order."""
HEDGED_IN = {"who": "who", "summary": "summary", "fee": "fee", "time": "time",
             "result": "result", "papers": "summary"}  # fmt: skip
"""Where the hedge of an unsure fact must be (papers.<id>: its entry's note or case)."""
STAFF_FACTS = frozenset({"code", "name", "legal_basis", "submit", "other"})
"""Unsure facts no resident reads; ``hotro procedures show --sources`` shows them to staff."""
NOT_IN_A_NAME = ("chưa", "rồi", "không")
"""Words that would garble "Ông/bà đã có … chưa?"."""
_DAYS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_DATE_WITHOUT_MUNG = re.compile(
    r"\bngày\s+(?:" + "|".join(_DAYS) + r")\s+tháng(?:\s+\w+)?", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ContentRules:
    """The lists and limits of ``content-rules.yaml``."""

    max_syllables: int = 25
    terms: dict[str, str] = field(default_factory=dict)
    """Word a resident may not know → a plain explanation (a hint for the editor)."""
    abbreviations: dict[str, str] = field(default_factory=dict)
    """Abbreviation → how to write it out."""
    english: dict[str, str] = field(default_factory=dict)
    """English word → its Vietnamese spelling."""
    paper_heads: tuple[str, ...] = ()
    """Nouns a paper's name may start with."""
    max_paper_syllables: int = 10
    hedges: tuple[str, ...] = ()
    """Words that show a fact is hedged."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One content problem: the error as the loader words them, and its kind."""

    kind: str
    error: CatalogueError


def syllables(sentence: str) -> int:
    """Words between spaces that hold a letter or a digit (a Vietnamese word is one syllable)."""
    return sum(1 for w in sentence.split() if any(c.isalnum() for c in w))


def sentences(text: str) -> list[str]:
    """``text`` split after ``. ! ? ;`` followed by a space (so "8.000" stays one number)."""
    return [s.strip() for s in re.split(r"(?<=[.!?;])\s+", text.strip()) if s.strip()]


# ---------------------------------------------------------------------------------------------
# The rules file
# ---------------------------------------------------------------------------------------------


def load_rules(path: Path | str | None = None) -> tuple[ContentRules, tuple[CatalogueError, ...]]:
    """The rules of ``path`` (default: the shipped ``content-rules.yaml``) and their errors.

    A broken rules file gives errors and the rules that could be read (never raises)."""
    import yaml

    path = Path(path) if path is not None else default_directory() / RULES_FILE
    name = path.name
    errors: list[CatalogueError] = []

    def bad(fld: str, problem: str, expected: str) -> None:
        errors.append(CatalogueError(name, fld, problem, expected, lines.get(fld)))

    lines: dict[str, int] = {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lines = field_lines(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        why = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        return ContentRules(), (CatalogueError(name, "", f"cannot be read ({why})", "the rules"),)
    if not isinstance(data, dict):
        return ContentRules(), (CatalogueError(name, "", "is not a mapping", "rules: values"),)
    known = {
        "max_syllables", "terms", "abbreviations", "english", "paper_heads",
        "max_paper_syllables", "hedges",
    }  # fmt: skip
    for key in data:
        if key not in known:
            bad(str(key), "is not a known rule", "one of: " + ", ".join(sorted(known)))

    def number(key: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            bad(key, f"is {value!r}", "a whole number, 1 or more")
            return default
        return value

    def mapping(key: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
            for k, v in value.items()
        ):
            bad(key, "is not a mapping of texts", "word: text, one per line")
            return {}
        return {_nfc(k): _nfc(v) for k, v in value.items()}

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            bad(key, "is not a list of texts", "[word, word, ...]")
            return ()
        return tuple(_nfc(v) for v in value)

    rules = ContentRules(
        max_syllables=number("max_syllables", 25),
        terms=mapping("terms"),
        abbreviations=mapping("abbreviations"),
        english=mapping("english"),
        paper_heads=texts("paper_heads"),
        max_paper_syllables=number("max_paper_syllables", 10),
        hedges=texts("hedges"),
    )
    return rules, tuple(errors)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


# ---------------------------------------------------------------------------------------------
# The texts a resident meets
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    """One field's text, where it lives, and the other texts it is met with (for terms)."""

    file: str
    field: str
    text: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """Texts a resident meets together: a term in ``own`` may be explained in ``own`` or
    ``context``."""

    own: tuple[_Text, ...]
    context: tuple[str, ...] = ()


def _shared_units(papers: dict[str, SharedPaper]) -> Iterator[_Unit]:
    for pid, paper in papers.items():
        own = [
            _Text(PAPERS_FILE, f"papers.{pid}.{name}", value)
            for name, value in (
                ("name", paper.name),
                ("explain", paper.explain),
                ("where_to_get", paper.where_to_get),
                ("when", paper.when or ""),
            )
            if value
        ]
        alternatives = tuple(papers[a].name for a in paper.any_of if a in papers)
        yield _Unit(tuple(own), alternatives)


def _procedure_units(proc: Procedure, papers: dict[str, SharedPaper]) -> Iterator[_Unit]:
    file = f"{proc.slug}.yaml"
    yield _Unit(tuple(_Text(file, name, getattr(proc, name)) for name in TEXT_FIELDS))
    for i, paper in enumerate(proc.papers, start=1):
        own = []
        if paper.note:
            own.append(_Text(file, f"papers[{i}].note", paper.note))
        shared = papers.get(paper.id)
        if paper.when and (shared is None or paper.when != shared.when):
            own.append(_Text(file, f"papers[{i}].when", paper.when))
        if own:
            context = (paper.short, paper.explain, paper.where_to_get, paper.when or "")
            yield _Unit(tuple(own), context)


def _group_units(catalogue: Catalogue) -> Iterator[_Unit]:
    for i, group in enumerate(catalogue.groups, start=1):
        yield _Unit(
            (
                _Text(GROUPS_FILE, f"groups[{i}].name", group.name),
                _Text(GROUPS_FILE, f"groups[{i}].spoken_name", group.spoken_name),
            ),
            (f"{group.name}: {group.spoken_name}",),  # how the home screen says it
        )


def _question_units(catalogue: Catalogue) -> Iterator[_Unit]:
    for i, question in enumerate(catalogue.questions, start=1):
        own = [_Text(QUESTIONS_FILE, f"questions[{i}].question", question.text)]
        own += [
            _Text(QUESTIONS_FILE, f"questions[{i}].answers[{j}].text", answer.text)
            for j, answer in enumerate(question.answers, start=1)
        ]
        yield _Unit(tuple(own))


def _service_units(catalogue: Catalogue) -> Iterator[_Unit]:
    for i, service in enumerate(catalogue.services.values(), start=1):
        own = [
            _Text(SERVICES_FILE, f"services[{i}].{name}", getattr(service, name))
            for name in ("name", "short_name", "spoken_name", "summary")
        ]
        own += [
            _Text(SERVICES_FILE, f"services[{i}].bring[{j}]", item)
            for j, item in enumerate(service.bring, start=1)
        ]
        yield _Unit(tuple(own))


def _units(catalogue: Catalogue) -> list[_Unit]:
    units = list(_group_units(catalogue))
    units += _question_units(catalogue)
    units += _service_units(catalogue)
    units += _shared_units(catalogue.shared_papers)
    for proc in catalogue.procedures.values():
        units += _procedure_units(proc, catalogue.shared_papers)
    return units


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def _explained(term: str, text: str) -> bool:
    """Whether ``text`` explains ``term`` right after it (within four words, in the same
    sentence) or names it after "gọi là"."""
    t = re.escape(term)
    after = rf"(?<!\w){t}(?!\w)(?:\s+[^\s.!?;]+){{0,4}}?\s*(?:,\s*)?(?:là|tức là|nghĩa là)\b"
    if re.search(after, text, re.IGNORECASE):
        return True
    if re.search(rf"(?<!\w){t}\s*[(:]", text, re.IGNORECASE):
        return True
    return bool(re.search(rf"\bgọi là\s+(?:\S+\s+){{0,2}}?{t}(?!\w)", text, re.IGNORECASE))


def _check_terms(unit: _Unit, rules: ContentRules) -> Iterator[tuple[_Text, str, str]]:
    everything = " ".join([*(t.text for t in unit.own), *unit.context])
    for term, hint in rules.terms.items():
        pattern = _term_pattern(term)
        users = [t for t in unit.own if pattern.search(t.text)]
        if users and not _explained(term, everything):
            yield (
                users[0],
                f"'{term}' is not explained where a resident reads it",
                f"explain it in the same text, e.g. '{term}, là {hint}'",
            )
    for short, full in rules.abbreviations.items():
        pattern = re.compile(r"(?<!\w)" + re.escape(short) + r"(?!\w)")
        for t in unit.own:
            if pattern.search(t.text):
                yield t, f"'{short}' is an abbreviation", f"write it out: '{full}'"


def _check_sentences(t: _Text, rules: ContentRules) -> Iterator[tuple[str, str]]:
    for sentence in sentences(t.text):
        n = syllables(sentence)
        if n > rules.max_syllables:
            yield (
                f"a sentence of {n} syllables: '{_short(sentence)}'",
                f"at most {rules.max_syllables} syllables a sentence; split it, use everyday words",
            )


def _check_paper_name(paper: SharedPaper, rules: ContentRules) -> Iterator[str]:
    name = paper.name
    question = f"Ông/bà đã có {in_sentence(name)} chưa?"
    lowered = name.lower()
    words = lowered.split()
    if not any(lowered == h or lowered.startswith(h + " ") for h in rules.paper_heads):
        yield f"'{name}' does not start with a paper's name: '{question}'"
    if re.search(r"[.!?;:]", name):
        yield f"'{name}' holds sentence punctuation: '{question}'"
    garbling = [w for w in NOT_IN_A_NAME if w in words]
    if garbling:
        yield f"'{name}' holds '{garbling[0]}': '{question}'"
    if syllables(name) > rules.max_paper_syllables:
        yield f"'{name}' is {syllables(name)} syllables long: '{question}'"


def _hedged(text: str, rules: ContentRules) -> bool:
    lowered = text.lower()
    return any(h.lower() in lowered for h in rules.hedges)


def _check_unsure(proc: Procedure, rules: ContentRules) -> Iterator[tuple[str, str, str]]:
    """(field, problem, expected) for each unsure fact stated without a hedge."""
    for item in proc.unsure:
        fact = item.fact
        if fact in STAFF_FACTS:
            continue
        if fact.startswith("papers."):
            pid = fact[len("papers.") :]
            index = next((n for n, p in enumerate(proc.papers, 1) if p.id == pid), None)
            if index is None:
                continue  # left out
            paper = proc.papers[index - 1]
            if not _hedged(f"{paper.note} {paper.when or ''}", rules):
                yield (
                    f"papers[{index}]",
                    f"'{pid}' is listed as certain, but the sources are unsure ({item.why})",
                    "leave the paper out, or hedge it in a note: e.g. 'Hỏi cán bộ xem có cần "
                    "giấy này không.'",
                )
            continue
        where = HEDGED_IN[fact]
        text = getattr(proc, where)
        if not _hedged(text, rules):
            yield (
                where,
                f"states the {fact} as certain, but the sources are unsure ({item.why}): "
                f"'{_short(text)}'",
                "say less and hedge it, e.g. 'Hỏi cán bộ ...' or 'Cán bộ sẽ hẹn ...' "
                f"(one of: {', '.join(rules.hedges)})",
            )


def _check_speech(t: _Text, rules: ContentRules, reader: Reader) -> Iterator[tuple[str, str, str]]:
    spoken = reader(t.text)
    for word, vietnamese in rules.english.items():
        if re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", spoken, re.IGNORECASE):
            yield (
                "english_word",
                f"'{word}' would be read the English way",
                f"write it the Vietnamese way: '{vietnamese}'",
            )
    for m in _DATE_WITHOUT_MUNG.finditer(spoken):
        yield (
            "date_reading",
            f"a date is read '{m.group(0)}' (without 'mùng')",
            "write the day 'mùng 1' to 'mùng 10', e.g. 'ngày mùng 1 tháng 6', or '1/6'",
        )


def check_content(
    catalogue: Catalogue,
    *,
    reader: Reader,
    rules: ContentRules | None = None,
) -> tuple[Finding, ...]:
    """Every content problem of ``catalogue`` (only its valid files are checked; run the
    loader's own checks first). ``reader`` turns screen text into what the voice says."""
    if rules is None:
        folder = catalogue.directory or default_directory()
        own = folder / RULES_FILE
        rules, _ = load_rules(own if own.is_file() else None)
    lines = _LineCache(catalogue.directory or default_directory())
    found: list[Finding] = []

    def add(kind: str, file: str, fld: str, problem: str, expected: str) -> None:
        err = CatalogueError(file, fld, problem, expected, lines.line(file, fld))
        found.append(Finding(kind, err))

    units = _units(catalogue)
    texts = [t for unit in units for t in unit.own]
    for t in texts:
        for problem, expected in _check_sentences(t, rules):
            add("long_sentence", t.file, t.field, problem, expected)
    for unit in units:
        for t, problem, expected in _check_terms(unit, rules):
            add("unexplained_term", t.file, t.field, problem, expected)
    for pid, paper in catalogue.shared_papers.items():
        for problem in _check_paper_name(paper, rules):
            add(
                "paper_name",
                PAPERS_FILE,
                f"papers.{pid}.name",
                problem,
                "a noun phrase starting with one of: " + ", ".join(rules.paper_heads),
            )
    for proc in catalogue.procedures.values():
        for fld, problem, expected in _check_unsure(proc, rules):
            add("unsure_fact", f"{proc.slug}.yaml", fld, problem, expected)
    for t in texts:
        for kind, problem, expected in _check_speech(t, rules, reader):
            add(kind, t.file, t.field, problem, expected)
    return tuple(_unique(found))


def _unique(findings: Iterable[Finding]) -> Iterator[Finding]:
    seen: set[tuple[str, str, str, str]] = set()
    for f in findings:
        key = (f.kind, f.error.file, f.error.field, f.error.problem)
        if key not in seen:
            seen.add(key)
            yield f


class _LineCache:
    """Line numbers of fields, read once per file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.maps: dict[str, dict[str, int]] = {}

    def line(self, file: str, fld: str) -> int | None:
        if file not in self.maps:
            try:
                self.maps[file] = field_lines(self.folder / file)
            except Exception:  # noqa: BLE001 - a line number is a courtesy, never a failure
                self.maps[file] = {}
        return line_of(self.maps[file], fld)
