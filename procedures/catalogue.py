"""The catalogue's schema and loader: YAML files in, typed ``Procedure`` objects and errors out.

One file per procedure, ``procedures/data/<slug>.yaml``, plus ``groups.yaml`` (the groups) and
``papers.yaml`` (the shared paper list: every paper named and explained once, by id). Every
problem is a ``CatalogueError`` naming the file, the field path, what is wrong and what is
expected, written for the content editor who has to fix it. A broken file never stops the rest:
``load_catalogue`` returns every valid procedure and lists the problems in ``Catalogue.errors``.

Rules, in the order they are checked (README.md has the editor's version):

* the file is valid YAML, a mapping, named ``<slug>.yaml`` (lower-case letters, digits, hyphens);
* every required field is present, no unknown field, each of the right type;
* all text is NFC and not empty;
* ``code`` looks like ``1.001193`` and is used by one file only;
* ``group`` is an id from ``groups.yaml``; ``handled_by`` and ``submit`` use the known values;
* ``papers``: 1 to ``MAX_PAPERS`` entries, each ``paper: <id>`` of ``papers.yaml``, with an
  optional ``need`` (always, sometimes or on_request; the last two need ``when``), ``when`` and
  ``note``; a paper the shared list names with ``need``/``when`` keeps them unless overridden;
* ``papers.yaml``: ids are lower-case letters, digits and hyphens; each paper has ``name``,
  ``explain`` and ``where_to_get``; two papers never share a name;
* ``checked`` is a real date, ``YYYY-MM-DD``;
* a phrase (after normalisation) used by two procedures must be in both files' ``shared_phrases``.

A file with any error of its own is left out of the catalogue, and so is a procedure asking for a
paper that has an error in ``papers.yaml``.

``services.yaml`` (optional) lists the centre's other help (issue 18: VNeID help, picking up a
result, feedback ...), checked the same way: known fields, NFC text, an id used once, a known
``counter`` type, an ``icon`` meaning ``service/<id>``, a summary of one or two sentences, and
phrases no procedure and no other service uses.

A phrase clash between two files
only drops the clashing phrase, so both procedures stay available.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procedures.model import (
    DEFAULT_PAPER_ICON,
    FACTS,
    Answer,
    Channel,
    CounterType,
    Group,
    HandledBy,
    Need,
    Paper,
    Procedure,
    Question,
    Service,
    SharedPaper,
    Source,
    Unsure,
)
from procedures.normalize import normalize
from procedures.problems import CatalogueError

__all__ = [
    "GROUPS_FILE",
    "MAX_ALTERNATIVES",
    "MAX_CHOICE_PAPERS",
    "MAX_PAPERS",
    "PAPERS_FILE",
    "QUESTIONS_FILE",
    "SERVICES_FILE",
    "RULES_FILE",
    "Catalogue",
    "CatalogueError",
    "default_directory",
    "field_lines",
    "line_of",
    "load_catalogue",
]

MAX_PAPERS = 12
"""Most papers one procedure may list: the QR payload has one bit per paper (12 at most)."""
MAX_ALTERNATIVES = 4
"""Most things one paper's ``any_of`` may offer: with "none of these" and "more about this
paper" they fill one screen of six buttons."""
MAX_CHOICE_PAPERS = 2
"""Most papers with alternatives in one procedure: each adds two characters to the QR code,
which stays within 64 characters for 12 papers with 2 of them."""

GROUPS_FILE = "groups.yaml"
"""The file of groups inside the catalogue folder."""
PAPERS_FILE = "papers.yaml"
"""The shared paper list inside the catalogue folder."""
RULES_FILE = "content-rules.yaml"
"""The content rules (``procedures.content``) inside the catalogue folder."""
QUESTIONS_FILE = "questions.yaml"
"""The optional file of distinguishing questions for look-alike procedures."""
SERVICES_FILE = "services.yaml"
"""The optional file of the centre's services (help that is not a procedure)."""
MAX_ANSWERS = 5
"""Most answers one question may offer (the ask screen shows six buttons at most)."""
NOT_PROCEDURES = frozenset({GROUPS_FILE, PAPERS_FILE, RULES_FILE, QUESTIONS_FILE, SERVICES_FILE})
"""Files of the catalogue folder that are not procedures."""

CODE_RE = re.compile(r"^\d\.\d{6}$")
ICON_RE = re.compile(r"^([a-z]+)/([A-Za-z0-9_.-]+)$")
"""A picture's meaning id, ``<kind>/<name>`` (``procedures/icons/manifest.yaml``)."""
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GROUP_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PAPER_ID_RE = SLUG_RE


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Every valid procedure, the groups, and the problems found while loading.

    Compared and hashed by identity, so it can key a cache."""

    procedures: dict[str, Procedure]
    """Valid procedures by code, in file-name order."""
    groups: tuple[Group, ...]
    """Groups in screen order."""
    errors: tuple[CatalogueError, ...] = ()
    """Problems found; files with problems of their own are not in ``procedures``."""
    directory: Path | None = None
    """The folder the catalogue was read from."""
    shared_papers: dict[str, SharedPaper] = field(default_factory=dict)
    """The valid papers of ``papers.yaml``, by id, in file order."""
    questions: tuple[Question, ...] = ()
    """Distinguishing questions for look-alike procedures (``questions.yaml``)."""
    services: dict[str, Service] = field(default_factory=dict)
    """The centre's services by id, in file order (``services.yaml``)."""
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Derived data (the matcher's index), built on first use."""

    def get(self, code: str) -> Procedure | None:
        """The procedure with this code, or None."""
        return self.procedures.get(code)

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return self.services.get(service_id)

    def service_by_code(self, code: str) -> Service | None:
        """The service whose QR code (``Service.code``) is ``code``, or None."""
        return next((s for s in self.services.values() if s.code == code), None)

    def by_group(self, group_id: str) -> tuple[Procedure, ...]:
        """Procedures of one group, in catalogue order."""
        return tuple(p for p in self.procedures.values() if p.group == group_id)

    def group(self, group_id: str) -> Group | None:
        """The group with this id, or None."""
        return next((g for g in self.groups if g.id == group_id), None)

    def by_slug(self, slug: str) -> Procedure | None:
        """The procedure stored in ``<slug>.yaml``, or None."""
        return next((p for p in self.procedures.values() if p.slug == slug), None)

    @property
    def ok(self) -> bool:
        """True when nothing was wrong."""
        return not self.errors


def default_directory() -> Path:
    """The catalogue shipped with the package: ``procedures/data``."""
    return Path(__file__).resolve().parent / "data"


# ---------------------------------------------------------------------------------------------
# Field specifications
# ---------------------------------------------------------------------------------------------

_TEXT = "text"
_TEXT_LIST = "list of texts"

# name -> (kind, required)
_PROCEDURE_FIELDS: dict[str, tuple[str, bool]] = {
    "code": (_TEXT, True),
    "name": (_TEXT, True),
    "short_name": (_TEXT, True),
    "spoken_name": (_TEXT, True),
    "group": (_TEXT, True),
    "handled_by": (_TEXT, True),
    "summary": (_TEXT, True),
    "who": (_TEXT, True),
    "papers": ("papers", True),
    "fee": (_TEXT, True),
    "time": (_TEXT, True),
    "submit": (_TEXT_LIST, True),
    "result": (_TEXT, True),
    "legal_basis": (_TEXT_LIST, True),
    "source": ("sources", True),
    "checked": ("date", True),
    "phrases": (_TEXT_LIST, True),
    "shared_phrases": (_TEXT_LIST, False),
    "unsure": ("unsure", False),
    "icon": (_TEXT, False),
}
UNSURE_FACTS = (
    "code",
    "name",
    "who",
    "summary",
    "papers",
    "fee",
    "time",
    "submit",
    "result",
    "legal_basis",
    "other",
)
"""What an ``unsure:`` entry may name, besides a paper (``papers.<id>``)."""
_PAPER_FIELDS: dict[str, tuple[str, bool]] = {
    "paper": (_TEXT, True),
    "need": (_TEXT, False),
    "when": (_TEXT, False),
    "note": (_TEXT, False),
}
"""A paper entry of a procedure: which shared paper, and this procedure's details."""
_SHARED_PAPER_FIELDS: dict[str, tuple[str, bool]] = {
    "name": (_TEXT, True),
    "explain": (_TEXT, True),
    "where_to_get": (_TEXT, True),
    "need": (_TEXT, False),
    "when": (_TEXT, False),
    "any_of": (_TEXT_LIST, False),
    "icon": (_TEXT, False),
}
"""A paper of ``papers.yaml``."""
_GROUP_FIELDS: dict[str, tuple[str, bool]] = {
    "id": (_TEXT, True),
    "name": (_TEXT, True),
    "spoken_name": (_TEXT, True),
    "order": ("int", False),
    "icon": (_TEXT, False),
}


def _choices(enum: type) -> str:
    values = [m.value for m in enum]  # type: ignore[attr-defined]
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, _dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"a text ('{_short(value, 40)}')"
    return type(value).__name__


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Line numbers: compose the YAML once more and map field paths to the line they start on
# ---------------------------------------------------------------------------------------------


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line_map(root: yaml.Node | None) -> dict[str, int]:
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value)
                sub = f"{path}.{name}" if path else name
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i + 1}]")

    if root is not None:
        walk(root, "")
    return lines


def line_of(lines: Mapping[str, int], path: str) -> int | None:
    """The line of field ``path``, or of its nearest enclosing field (a missing field's parent)."""
    while path:
        if path in lines:
            return lines[path]
        path = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", path) if re.search(r"[.\[]", path) else ""
    return None


def field_lines(path: Path) -> dict[str, int]:
    """The line each field path of a catalogue file starts on ({} when it cannot be read)."""
    return _read_yaml(path)[0]


class _Checker:
    """Collects the errors of one file."""

    def __init__(self, file: str, lines: Mapping[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.errors: list[CatalogueError] = []

    def add(self, path: str, problem: str, expected: str) -> None:
        self.errors.append(CatalogueError(self.file, path, problem, expected, self.line(path)))

    def line(self, path: str) -> int | None:
        return line_of(self.lines, path)

    def text(self, value: Any, path: str) -> str | None:
        """A non-empty NFC string, or None after recording why not."""
        if not isinstance(value, str):
            self.add(
                path, f"is {_type_name(value)}", "text (put it in quotes if it looks like a number)"
            )
            return None
        if not value.strip():
            self.add(path, "is empty", "some text")
            return None
        if not unicodedata.is_normalized("NFC", value):
            self.add(
                path,
                f"'{_short(value)}' is not in NFC form (letters and accents stored apart)",
                "NFC text; re-type the accents or save the file as NFC",
            )
            return None
        return value.strip()

    def text_list(self, value: Any, path: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.add(path, f"is {_type_name(value)}", "a list of texts, one per line starting '- '")
            return ()
        if not value and not allow_empty:
            self.add(path, "is an empty list", "at least one item")
        out = []
        for i, item in enumerate(value, start=1):
            text = self.text(item, f"{path}[{i}]")
            if text is not None:
                out.append(text)
        return tuple(out)

    def fields(
        self, data: Any, spec: Mapping[str, tuple[str, bool]], path: str, what: str
    ) -> dict[str, Any] | None:
        """Check required and unknown keys; returns the mapping or None."""
        if not isinstance(data, dict):
            self.add(path, f"is {_type_name(data)}", f"a mapping of {what} fields (key: value)")
            return None
        prefix = f"{path}." if path else ""
        for key in data:
            if key not in spec:
                known = ", ".join(spec)
                self.add(f"{prefix}{key}", "is not a known field", f"one of: {known}")
        for key, (_kind, required) in spec.items():
            if required and key not in data:
                self.add(f"{prefix}{key}" if path else key, "is missing", f"a {key} field")
        return data


# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------


def _load_groups(path: Path) -> tuple[tuple[Group, ...], list[CatalogueError], bool]:
    """Groups, errors, and whether the file could be read at all."""
    name = path.name
    if not path.is_file():
        err = CatalogueError(name, "", "the file is missing", "a groups.yaml listing the groups")
        return (), [err], False
    lines, data, errs = _read_yaml(path)
    if errs:
        return (), errs, False
    check = _Checker(name, lines)
    top = check.fields(data, {"groups": ("list", True)}, "", "groups.yaml")
    if top is None or "groups" not in top:
        return (), check.errors, False
    items = top["groups"]
    if not isinstance(items, list) or not items:
        check.add("groups", f"is {_type_name(items)}", "a list of groups")
        return (), check.errors, False
    groups: list[Group] = []
    seen: set[str] = set()
    for i, item in enumerate(items, start=1):
        p = f"groups[{i}]"
        before = len(check.errors)
        data_i = check.fields(item, _GROUP_FIELDS, p, "group")
        if data_i is None:
            continue
        gid = check.text(data_i.get("id"), f"{p}.id") if "id" in data_i else None
        gname = check.text(data_i.get("name"), f"{p}.name") if "name" in data_i else None
        spoken = (
            check.text(data_i.get("spoken_name"), f"{p}.spoken_name")
            if "spoken_name" in data_i
            else None
        )
        order = data_i.get("order", i)
        if not isinstance(order, int) or isinstance(order, bool):
            check.add(f"{p}.order", f"is {_type_name(order)}", "a whole number")
        if gid is not None and not GROUP_ID_RE.match(gid):
            check.add(f"{p}.id", f"'{gid}' is not a valid id", "lower-case letters, digits and _")
        if gid is not None and gid in seen:
            check.add(f"{p}.id", f"'{gid}' is used twice", "each group id once")
        icon = _icon(check, data_i, f"{p}.icon", ("group",), f"group/{gid}")
        if len(check.errors) == before and gid and gname and spoken and icon:
            seen.add(gid)
            groups.append(
                Group(id=gid, name=gname, spoken_name=spoken, order=int(order), icon=icon)
            )
    groups.sort(key=lambda g: g.order)
    return tuple(groups), check.errors, True


# ---------------------------------------------------------------------------------------------
# Procedures
# ---------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> tuple[dict[str, int], Any, list[CatalogueError]]:
    """(line of each field path, the data, errors) for one file."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        err = CatalogueError(name, "", f"cannot be read ({exc.strerror})", "a readable file")
        return {}, None, [err]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        err = CatalogueError(name, "", f"is not UTF-8 (byte {exc.start})", "a file saved as UTF-8")
        return {}, None, [err]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        at = f" at line {line}" if line else ""
        err = CatalogueError(
            name,
            "",
            f"is not valid YAML{at}: {what}",
            "valid YAML (check indentation and quotes)",
            line,
        )
        return {}, None, [err]
    finally:
        loader.dispose()
    return _line_map(node), data, []


def _check_procedure(
    path: Path,
    group_ids: set[str] | None,
    paper_list: Mapping[str, SharedPaper] | None = None,
    broken: set[str] | None = None,
) -> tuple[Procedure | None, list[CatalogueError], dict[str, int]]:
    """One procedure file; ``paper_list`` is the shared paper list (None: it could not be read),
    ``broken`` the ids of its papers that have errors."""
    broken = broken or set()
    name = path.name
    slug = path.stem
    lines, data, errs = _read_yaml(path)
    if errs:
        return None, errs, {}
    check = _Checker(name, lines)
    if not SLUG_RE.match(slug):
        check.add(
            "",
            f"the file name '{name}' is not a valid slug",
            "lower-case letters without accents, digits and hyphens, e.g. dang-ky-khai-sinh.yaml",
        )
    d = check.fields(data, _PROCEDURE_FIELDS, "", "procedure")
    if d is None:
        return None, check.errors, lines

    def text_field(key: str) -> str | None:
        return check.text(d[key], key) if key in d else None

    code = text_field("code")
    if code is not None and not CODE_RE.match(code):
        check.add(
            "code",
            f"'{code}' is not a procedure code",
            'a code like "1.001193" (digit, dot, six digits), in quotes',
        )
    texts = {
        k: text_field(k)
        for k in ("name", "short_name", "spoken_name", "summary", "who", "fee", "time", "result")
    }
    group = text_field("group")
    if group is not None and group_ids is not None and group not in group_ids:
        check.add(
            "group",
            f"'{group}' is not a group in groups.yaml",
            "one of: " + ", ".join(sorted(group_ids)),
        )
    handled_raw = text_field("handled_by")
    handled: HandledBy | None = None
    if handled_raw is not None:
        try:
            handled = HandledBy(handled_raw)
        except ValueError:
            check.add("handled_by", f"'{handled_raw}' is not allowed", _choices(HandledBy))

    submit: list[Channel] = []
    if "submit" in d:
        for i, item in enumerate(check.text_list(d["submit"], "submit"), start=1):
            try:
                submit.append(Channel(item))
            except ValueError:
                check.add(f"submit[{i}]", f"'{item}' is not allowed", _choices(Channel))
    legal = check.text_list(d["legal_basis"], "legal_basis") if "legal_basis" in d else ()
    phrases = check.text_list(d["phrases"], "phrases") if "phrases" in d else ()
    shared = (
        check.text_list(d["shared_phrases"], "shared_phrases", allow_empty=True)
        if "shared_phrases" in d
        else ()
    )

    checked = _date(check, d["checked"], "checked") if "checked" in d else None
    sources = _check_sources(check, d["source"], checked) if "source" in d else []

    papers: list[Paper] = []
    if "papers" in d and paper_list is None:
        check.add(
            "papers",
            f"cannot be looked up: {PAPERS_FILE} could not be read",
            f"a readable {PAPERS_FILE} beside this file",
        )
    elif "papers" in d:
        raw_papers = d["papers"]
        if not isinstance(raw_papers, list):
            check.add("papers", f"is {_type_name(raw_papers)}", "a list of papers")
        elif not raw_papers:
            check.add("papers", "is an empty list", "at least one paper to bring")
        else:
            if len(raw_papers) > MAX_PAPERS:
                check.add(
                    "papers",
                    f"lists {len(raw_papers)} papers",
                    f"at most {MAX_PAPERS} (the slip's QR code holds {MAX_PAPERS})",
                )
            for i, item in enumerate(raw_papers, start=1):
                paper = _check_paper(check, item, f"papers[{i}]", paper_list, broken)
                if paper is not None:
                    papers.append(paper)
            choices = [p.id for p in papers if p.alternatives]
            if len(choices) > MAX_CHOICE_PAPERS:
                check.add(
                    "papers",
                    f"lists {len(choices)} papers with alternatives ({', '.join(choices)})",
                    f"at most {MAX_CHOICE_PAPERS} (each takes room in the slip's QR code)",
                )

    unsure: list[Unsure] = []
    if "unsure" in d:
        unsure = _check_unsure(check, d["unsure"])
    icon = _icon(check, d, "icon", ("procedure", "group"), f"group/{group}")
    named = code and group and not any(e.field in ("code", "group") for e in check.errors)
    if icon is not None and named and icon not in (f"procedure/{code}", f"group/{group}"):
        check.add(  # a file copied from another keeps that one's picture
            "icon",
            f"'{icon}' is another procedure's or group's picture",
            f"procedure/{code} (a picture of its own) or group/{group}",
        )
        icon = None

    if check.errors:
        return None, check.errors, lines
    assert code and group and handled and checked and icon  # all checked above
    procedure = Procedure(
        code=code,
        slug=slug,
        name=texts["name"] or "",
        short_name=texts["short_name"] or "",
        spoken_name=texts["spoken_name"] or "",
        group=group,
        handled_by=handled,
        summary=texts["summary"] or "",
        who=texts["who"] or "",
        papers=tuple(papers),
        fee=texts["fee"] or "",
        time=texts["time"] or "",
        submit=tuple(submit),
        result=texts["result"] or "",
        legal_basis=legal,
        source=tuple(s.url for s in sources),
        checked=checked,
        phrases=phrases,
        shared_phrases=shared,
        unsure=tuple(unsure),
        sources=tuple(sources),
        icon=icon,
    )
    return procedure, [], lines


def _date(check: _Checker, value: Any, path: str) -> str | None:
    """A date written YYYY-MM-DD (quoted or not), or None after recording why not."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    expected = 'a date written YYYY-MM-DD, e.g. "2026-11-23"'
    if not isinstance(value, str):
        check.add(path, f"is {_type_name(value)}", expected)
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError
        return _dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        check.add(path, f"'{value}' is not a date", expected)
        return None


def _check_sources(check: _Checker, raw: Any, checked: str | None) -> list[Source]:
    """``source:``: addresses (standing for every fact, checked on the file's date), or
    mappings with ``url`` and optional ``facts``, ``checked`` and ``note``."""
    if not isinstance(raw, list) or not raw:
        check.add("source", f"is {_type_name(raw)}", "a list of sources, one per line '- '")
        return []
    spec = {"url": (_TEXT, True), "facts": (_TEXT_LIST, False), "checked": ("date", False),
            "note": (_TEXT, False)}  # fmt: skip
    out = []
    for i, item in enumerate(raw, start=1):
        p = f"source[{i}]"
        if isinstance(item, str):
            url = check.text(item, p)
            if url is not None and checked is not None:
                out.append(Source(url, FACTS, checked))
            continue
        d = check.fields(item, spec, p, "source")
        if d is None:
            continue
        url = check.text(d["url"], f"{p}.url") if "url" in d else None
        facts = FACTS
        if "facts" in d:
            facts = check.text_list(d["facts"], f"{p}.facts")
            for k, fact in enumerate(facts, start=1):
                if fact not in FACTS:
                    check.add(
                        f"{p}.facts[{k}]", f"'{fact}' is not a fact", "one of: " + ", ".join(FACTS)
                    )
        date = _date(check, d["checked"], f"{p}.checked") if "checked" in d else checked
        note = check.text(d["note"], f"{p}.note") if "note" in d else ""
        if url is not None and date is not None and note is not None:
            out.append(Source(url, tuple(facts), date, note))
    return out


def _check_unsure(check: _Checker, raw: Any) -> list[Unsure]:
    if not isinstance(raw, list) or not raw:
        check.add("unsure", f"is {_type_name(raw)}", "a list of - fact: ... why: ... entries")
        return []
    out = []
    for i, item in enumerate(raw, start=1):
        p = f"unsure[{i}]"
        d = check.fields(item, {"fact": (_TEXT, True), "why": (_TEXT, True)}, p, "unsure")
        if d is None:
            continue
        fact = check.text(d["fact"], f"{p}.fact") if "fact" in d else None
        why = check.text(d["why"], f"{p}.why") if "why" in d else None
        if (
            fact is not None
            and fact not in UNSURE_FACTS
            and not (fact.startswith("papers.") and PAPER_ID_RE.match(fact[len("papers.") :]))
        ):
            check.add(
                f"{p}.fact",
                f"'{fact}' is not a fact of a procedure",
                "one of: " + ", ".join(UNSURE_FACTS) + ", or papers.<id>",
            )
            continue
        if fact is not None and why is not None:
            out.append(Unsure(fact, why))
    return out


def _need_and_when(
    check: _Checker, d: Mapping[str, Any], p: str, default: tuple[Need, str | None] | None
) -> tuple[Need | None, str | None]:
    """(need, when) of a paper entry. What it does not say comes from ``default`` (the shared
    paper's need and case), else: always needed. None for a need it got wrong."""
    need: Need | None = default[0] if default is not None else Need.ALWAYS
    if "need" in d:
        raw = d["need"]
        need = None
        if isinstance(raw, str) and raw.strip():
            try:
                need = Need(raw.strip())
            except ValueError:
                check.add(f"{p}.need", f"'{raw}' is not allowed", _choices(Need))
        else:
            check.add(
                f"{p}.need", f"is {_type_name(raw) if raw != '' else 'empty'}", _choices(Need)
            )
    when: str | None = None
    if "when" in d:
        when = check.text(d["when"], f"{p}.when")
    elif default is not None and need is not Need.ALWAYS:
        when = default[1]
    if need in (Need.SOMETIMES, Need.ON_REQUEST) and when is None and "when" not in d:
        check.add(
            f"{p}.when",
            "is missing for a paper needed only "
            + ("sometimes" if need is Need.SOMETIMES else "on request"),
            'a when: line saying in which case it is needed, e.g. "Chỉ khi ..."',
        )
    if need is Need.ALWAYS and "when" in d:
        check.add(
            f"{p}.when",
            "is given for a paper that is always needed",
            "need: sometimes, or no when: line",
        )
    return need, when


def _icon(
    check: _Checker, d: Mapping[str, Any], path: str, kinds: tuple[str, ...], default: str
) -> str | None:
    """The ``icon`` of an entry: a meaning id of one of ``kinds`` (``default`` when absent), or
    None after recording why not. Whether the pictures manifest has it is checked by
    ``procedures.pictures.catalogue_picture_errors`` (``hotro procedures check``)."""
    if "icon" not in d:
        return default
    value = check.text(d["icon"], path)
    if value is None:
        return None
    found = ICON_RE.match(value)
    if found is None or found.group(1) not in kinds:
        examples = " or ".join(f"{k}/<name>" for k in kinds)
        check.add(
            path,
            f"'{value}' is not a picture's meaning of the right kind",
            f"{examples}, a meaning listed in procedures/icons/manifest.yaml",
        )
        return None
    return value


def _check_shared_paper(check: _Checker, pid: Any, item: Any) -> SharedPaper | None:
    p = f"papers.{pid}"
    before = len(check.errors)
    if not isinstance(pid, str) or not PAPER_ID_RE.match(pid):
        check.add(
            p,
            f"'{pid}' is not a valid paper id",
            "lower-case letters without accents, digits and hyphens, e.g. giay-chung-sinh",
        )
    d = check.fields(item, _SHARED_PAPER_FIELDS, p, "paper")
    if d is None:
        return None
    vals = {k: check.text(d[k], f"{p}.{k}") for k in ("name", "explain", "where_to_get") if k in d}
    need, when = _need_and_when(check, d, p, None)
    any_of: tuple[str, ...] = ()
    if "any_of" in d:
        any_of = check.text_list(d["any_of"], f"{p}.any_of")
        if isinstance(d["any_of"], list) and not 2 <= len(d["any_of"]) <= MAX_ALTERNATIVES:
            check.add(
                f"{p}.any_of",
                f"lists {len(d['any_of'])} paper(s)",
                f"2 to {MAX_ALTERNATIVES} ids of papers in {PAPERS_FILE}, any one of which will do",
            )
        for i, alt in enumerate(any_of, start=1):
            if alt in any_of[: i - 1]:
                check.add(f"{p}.any_of[{i}]", f"'{alt}' is listed twice", "each paper once")
            if alt == pid:
                check.add(f"{p}.any_of[{i}]", "is the paper itself", "the id of another paper")
    icon = _icon(check, d, f"{p}.icon", ("paper",), DEFAULT_PAPER_ICON)
    if len(check.errors) != before or need is None or icon is None:
        return None
    return SharedPaper(
        id=str(pid),
        name=vals["name"] or "",
        explain=vals["explain"] or "",
        where_to_get=vals["where_to_get"] or "",
        need=need,
        when=when,
        any_of=any_of,
        icon=icon,
    )


def _resolve_any_of(check: _Checker, papers: dict[str, SharedPaper], broken: set[str]) -> None:
    """Check every ``any_of`` id against the list (in place: a paper with a bad one is broken)."""
    for pid, paper in list(papers.items()):
        before = len(check.errors)
        for i, alt in enumerate(paper.any_of, start=1):
            path = f"papers.{pid}.any_of[{i}]"
            other = papers.get(alt)
            if other is None and alt in broken:
                check.add(path, f"'{alt}' has an error of its own", "fix that paper first")
            elif other is None:
                close = difflib.get_close_matches(alt, list(papers), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                check.add(
                    path,
                    f"'{alt}' is not a paper in {PAPERS_FILE}{hint}",
                    f"the id of a paper in {PAPERS_FILE}",
                )
            elif other.any_of:
                check.add(
                    path,
                    f"'{alt}' has alternatives of its own",
                    "a paper without any_of (alternatives are one level deep)",
                )
        if len(check.errors) != before:
            broken.add(pid)
    for pid in broken:
        papers.pop(pid, None)


def _load_shared_papers(
    path: Path,
) -> tuple[dict[str, SharedPaper], set[str], list[CatalogueError], bool]:
    """(valid papers by id, ids with errors, errors, whether the file could be read)."""
    name = path.name
    if not path.is_file():
        err = CatalogueError(
            name, "", "the file is missing", "a papers.yaml naming every paper once, by id"
        )
        return {}, set(), [err], False
    lines, data, errs = _read_yaml(path)
    if errs:
        return {}, set(), errs, False
    check = _Checker(name, lines)
    top = check.fields(data, {"papers": ("mapping", True)}, "", "papers.yaml")
    if top is None or "papers" not in top:
        return {}, set(), check.errors, False
    items = top["papers"]
    if not isinstance(items, dict) or not items:
        check.add("papers", f"is {_type_name(items)}", "a mapping of paper id: paper fields")
        return {}, set(), check.errors, False
    papers: dict[str, SharedPaper] = {}
    broken: set[str] = set()
    names: dict[str, str] = {}
    for pid, item in items.items():
        paper = _check_shared_paper(check, pid, item)
        if paper is None:
            broken.add(str(pid))
            continue
        key = normalize(paper.name)
        if key in names:
            check.add(
                f"papers.{pid}.name",
                f"'{paper.name}' is also the name of {names[key]}",
                "one entry per paper: use that id in the procedures, or give this paper "
                "another name",
            )
            broken.add(str(pid))
            continue
        names[key] = str(pid)
        papers[str(pid)] = paper
    _resolve_any_of(check, papers, broken)
    return papers, broken, check.errors, True


def _check_paper(
    check: _Checker,
    item: Any,
    p: str,
    shared: Mapping[str, SharedPaper],
    broken: set[str],
) -> Paper | None:
    before = len(check.errors)
    if isinstance(item, dict) and "short" in item and "paper" not in item:
        check.add(
            p,
            "names and explains its paper here",
            f"paper: <id> of a paper in {PAPERS_FILE} (each paper is named once, there)",
        )
        return None
    d = check.fields(item, _PAPER_FIELDS, p, "paper")
    if d is None:
        return None
    pid = check.text(d["paper"], f"{p}.paper") if "paper" in d else None
    note = check.text(d["note"], f"{p}.note") if "note" in d else None
    base: SharedPaper | None = None
    if pid is not None:
        base = shared.get(pid)
        if base is None and pid in broken:
            check.add(
                f"{p}.paper",
                f"'{pid}' has an error in {PAPERS_FILE}",
                f"fix the paper in {PAPERS_FILE} first",
            )
        elif base is None:
            close = difflib.get_close_matches(pid, list(shared), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            check.add(
                f"{p}.paper",
                f"'{pid}' is not a paper in {PAPERS_FILE}{hint}",
                f"the id of a paper in {PAPERS_FILE}, or add the paper there",
            )
    if base is None:
        return None  # need and when are checked against the paper once its id is right
    need, when = _need_and_when(check, d, p, (base.need, base.when))
    if len(check.errors) != before or need is None:
        return None
    return Paper(
        short=base.name,
        explain=f"{base.explain} {note}" if note else base.explain,
        need=need,
        when=when if need is not Need.ALWAYS else None,
        where_to_get=base.where_to_get,
        id=base.id,
        note=note or "",
        alternatives=tuple(shared[a] for a in base.any_of),
        icon=base.icon,
    )


def _phrase_clashes(
    procedures: list[Procedure], lines: Mapping[str, Mapping[str, int]]
) -> tuple[list[Procedure], list[CatalogueError]]:
    """Report phrases used by two procedures and not shared by both; drop those phrases."""
    users: dict[str, list[tuple[Procedure, bool]]] = {}
    for proc in procedures:
        seen: set[str] = set()
        for shared, items in ((False, proc.phrases), (True, proc.shared_phrases)):
            for phrase in items:
                key = normalize(phrase)
                if key in seen:
                    continue
                seen.add(key)
                users.setdefault(key, []).append((proc, shared))
    errors: list[CatalogueError] = []
    drop: dict[str, set[str]] = {}
    for key, uses in users.items():
        if len(uses) < 2:
            continue
        for proc, shared in uses:
            if shared:
                continue
            others = ", ".join(f"{o.slug}.yaml" for o, _ in uses if o is not proc)
            idx = next(i for i, ph in enumerate(proc.phrases, 1) if normalize(ph) == key)
            path = f"phrases[{idx}]"
            errors.append(
                CatalogueError(
                    f"{proc.slug}.yaml",
                    path,
                    f"'{proc.phrases[idx - 1]}' is also used by {others}",
                    "move it to shared_phrases in every file that uses it, or keep it in one file",
                    lines.get(proc.slug, {}).get(path),
                )
            )
            drop.setdefault(proc.code, set()).add(key)
    if not drop:
        return procedures, errors
    kept = []
    for proc in procedures:
        gone = drop.get(proc.code)
        if gone:
            phrases = tuple(ph for ph in proc.phrases if normalize(ph) not in gone)
            proc = Procedure(**{**_as_dict(proc), "phrases": phrases})
        kept.append(proc)
    return kept, errors


def _as_dict(proc: Procedure) -> dict[str, Any]:
    return {name: getattr(proc, name) for name in proc.__dataclass_fields__}


def _procedure_files(directory: Path) -> Iterator[Path]:
    for path in sorted(directory.iterdir()):
        if path.name in NOT_PROCEDURES or path.name.startswith("."):
            continue
        if path.is_file() and path.suffix in {".yaml", ".yml"}:
            yield path


def load_catalogue(directory: Path | str | None = None) -> Catalogue:
    """Load every procedure file in ``directory`` (default: the shipped catalogue).

    Never raises for bad content: invalid files are reported in ``Catalogue.errors`` and left out.
    A missing folder is one error too.
    """
    folder = Path(directory) if directory is not None else default_directory()
    if not folder.is_dir():
        err = CatalogueError(str(folder), "", "is not a folder", "a folder of <slug>.yaml files")
        return Catalogue(procedures={}, groups=(), errors=(err,), directory=folder)
    groups, errors, groups_read = _load_groups(folder / GROUPS_FILE)
    group_ids = {g.id for g in groups} if groups_read else None
    shared, broken, paper_errors, papers_read = _load_shared_papers(folder / PAPERS_FILE)
    errors.extend(paper_errors)
    valid: list[Procedure] = []
    codes: dict[str, str] = {}
    line_maps: dict[str, dict[str, int]] = {}
    for path in _procedure_files(folder):
        if path.suffix == ".yml":
            errors.append(
                CatalogueError(
                    path.name,
                    "",
                    "has the ending .yml",
                    "the ending .yaml, e.g. dang-ky-khai-sinh.yaml",
                )
            )
            continue
        proc, errs, lines = _check_procedure(
            path, group_ids, shared if papers_read else None, broken
        )
        if errs:
            errors.extend(errs)
            continue
        assert proc is not None
        if proc.code in codes:
            errors.append(
                CatalogueError(
                    path.name,
                    "code",
                    f"'{proc.code}' is already used by {codes[proc.code]}",
                    "a code used by one file only",
                    None,
                )
            )
            continue
        codes[proc.code] = path.name
        line_maps[proc.slug] = lines
        valid.append(proc)
    valid, clash_errors = _phrase_clashes(valid, line_maps)
    errors.extend(clash_errors)
    questions, question_errors = _load_questions(folder / QUESTIONS_FILE, set(codes))
    errors.extend(question_errors)
    services, service_errors = _load_services(folder / SERVICES_FILE, valid)
    errors.extend(service_errors)
    return Catalogue(
        procedures={p.code: p for p in valid},
        groups=groups,
        errors=tuple(errors),
        directory=folder,
        shared_papers=shared,
        questions=questions,
        services={s.id: s for s in services},
    )


def _list_file(path: Path, key: str) -> tuple[_Checker | None, list[Any], list[CatalogueError]]:
    """An optional file holding one list under ``key`` (``questions.yaml``, ``services.yaml``):
    its checker, the list's items, and the errors that stop it being read (none when absent)."""
    if not path.is_file():
        return None, [], []
    lines, data, errs = _read_yaml(path)
    if errs:
        return None, [], errs
    check = _Checker(path.name, lines)
    top = check.fields(data, {key: ("list", True)}, "", path.name)
    items = top.get(key) if top else None
    if top is not None and key in top and not isinstance(items, list):
        check.add(key, f"is {_type_name(items)}", f"a list of {key}")
    return check, items if isinstance(items, list) else [], []


def _load_questions(
    path: Path, codes: set[str]
) -> tuple[tuple[Question, ...], list[CatalogueError]]:
    """The distinguishing questions (none when the file is absent) and their problems."""
    check, items, errs = _list_file(path, "questions")
    if check is None:
        return (), errs
    out: list[Question] = []
    seen: set[str] = set()
    spec = {"id": (_TEXT, True), "question": (_TEXT, True), "answers": ("list", True)}
    answer_spec = {"text": (_TEXT, True), "code": (_TEXT, True)}
    for i, item in enumerate(items, start=1):
        p = f"questions[{i}]"
        before = len(check.errors)
        d = check.fields(item, spec, p, "question")
        if d is None or len(check.errors) != before:
            continue
        qid = check.text(d["id"], f"{p}.id")
        text = check.text(d["question"], f"{p}.question")
        if qid is not None and (not GROUP_ID_RE.match(qid) or qid in seen):
            problem = "is used twice" if qid in seen else "is not a valid id"
            check.add(f"{p}.id", f"'{qid}' {problem}", "a new id of lower-case letters, digits, _")
        raw = d["answers"]
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_ANSWERS:
            check.add(f"{p}.answers", f"is {_type_name(raw)}", f"a list of 2 to {MAX_ANSWERS}")
            raw = []
        answers = []
        for j, answer in enumerate(raw, start=1):
            a = f"{p}.answers[{j}]"
            da = check.fields(answer, answer_spec, a, "answer")
            if da is None or "text" not in da or "code" not in da:
                continue
            atext = check.text(da["text"], f"{a}.text")
            code = check.text(da["code"], f"{a}.code")
            if code is not None and code not in codes:
                check.add(f"{a}.code", f"'{code}' is not a procedure of the catalogue", "a code")
            elif atext is not None and code is not None:
                answers.append(Answer(atext, code))
        if len(check.errors) == before and qid and text:
            seen.add(qid)
            out.append(Question(qid, text, tuple(answers)))
    return tuple(out), check.errors


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------

_SERVICE_FIELDS: dict[str, tuple[str, bool]] = {
    "id": (_TEXT, True),
    "code": (_TEXT, True),
    "name": (_TEXT, True),
    "short_name": (_TEXT, True),
    "spoken_name": (_TEXT, True),
    "summary": (_TEXT, True),
    "bring": (_TEXT_LIST, True),
    "counter": (_TEXT, True),
    "icon": (_TEXT, True),
    "phrases": (_TEXT_LIST, True),
}
SERVICE_CODE_RE = re.compile(r"^[A-Z]{2,3}$")
"""A service's code in the QR payload: letters only, so it is never a procedure code."""
_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)")
MAX_SUMMARY_SENTENCES = 2
"""A service's summary is one or two short sentences (the screen shows it whole)."""


def _load_services(
    path: Path, procedures: list[Procedure]
) -> tuple[tuple[Service, ...], list[CatalogueError]]:
    """The services (none when the file is absent) and their problems. A service with an error
    of its own is left out; a phrase that a procedure or an earlier service already uses is only
    dropped (and reported), like a phrase clash between procedure files."""
    check, items, errs = _list_file(path, "services")
    if check is None:
        return (), errs
    used: dict[str, str] = {}
    for proc in procedures:
        for phrase in (*proc.phrases, *proc.shared_phrases):
            used.setdefault(normalize(phrase), f"{proc.slug}.yaml")
    out: list[Service] = []
    seen: set[str] = set()
    codes: set[str] = set()
    for i, item in enumerate(items, start=1):
        p = f"services[{i}]"
        before = len(check.errors)
        d = check.fields(item, _SERVICE_FIELDS, p, "service")
        if d is None or len(check.errors) != before:
            continue
        texts = {
            k: check.text(d[k], f"{p}.{k}")
            for k in ("id", "code", "name", "short_name", "spoken_name", "summary", "counter",
                      "icon")
        }
        sid = texts["id"]
        if sid is not None and (not GROUP_ID_RE.match(sid) or sid in seen):
            problem = "is used twice" if sid in seen else "is not a valid id"
            check.add(f"{p}.id", f"'{sid}' {problem}", "a new id of lower-case letters, digits, _")
        code = texts["code"]
        if code is not None and (not SERVICE_CODE_RE.match(code) or code in codes):
            problem = "is used twice" if code in codes else "is not a service code"
            check.add(f"{p}.code", f"'{code}' {problem}",
                      "a new code of two or three upper-case letters (A-Z), kept for good")
        counter: CounterType | None = None
        raw_counter = texts["counter"]
        if raw_counter is not None:
            try:
                counter = CounterType(raw_counter)
            except ValueError:
                check.add(f"{p}.counter", f"'{raw_counter}' is not allowed", _choices(CounterType))
        icon = texts["icon"]
        if icon is not None and sid is not None and icon != f"service/{sid}":
            check.add(f"{p}.icon", f"'{icon}' is not this service's picture", f"service/{sid}")
        summary = texts["summary"]
        if summary is not None:
            n = len(_SENTENCE_END.findall(summary)) or 1
            if n > MAX_SUMMARY_SENTENCES:
                check.add(
                    f"{p}.summary",
                    f"has {n} sentences",
                    f"one or two short sentences (at most {MAX_SUMMARY_SENTENCES})",
                )
        bring = check.text_list(d["bring"], f"{p}.bring")
        phrases = check.text_list(d["phrases"], f"{p}.phrases")
        if len(check.errors) != before or counter is None:
            continue
        assert sid and icon and summary and code
        kept = []
        for j, phrase in enumerate(phrases, start=1):
            key = normalize(phrase)
            if key in used:
                by = used[key]
                check.add(
                    f"{p}.phrases[{j}]",
                    f"'{phrase}' is said the same way as an earlier phrase of this service"
                    if by == f"{path.name} ({sid})"
                    else f"'{phrase}' is also used by {by}",
                    "a phrase used by one procedure or service only, once",
                )
            else:
                used[key] = f"{path.name} ({sid})"
                kept.append(phrase)
        seen.add(sid)
        codes.add(code)
        out.append(
            Service(
                id=sid,
                code=code,
                name=texts["name"] or "",
                short_name=texts["short_name"] or "",
                spoken_name=texts["spoken_name"] or "",
                summary=summary,
                bring=bring,
                counter=counter,
                icon=icon,
                phrases=tuple(kept),
            )
        )
    return tuple(out), check.errors
