"""The catalogue's schema and loader: YAML files in, typed ``Procedure`` objects and errors out.

One file per procedure, ``procedures/data/<slug>.yaml``, plus ``groups.yaml``. Every problem is a
``CatalogueError`` naming the file, the field path, what is wrong and what is expected, written for
the content editor who has to fix it. A broken file never stops the rest: ``load_catalogue``
returns every valid procedure and lists the problems in ``Catalogue.errors``.

Rules, in the order they are checked (README.md has the editor's version):

* the file is valid YAML, a mapping, named ``<slug>.yaml`` (lower-case letters, digits, hyphens);
* every required field is present, no unknown field, each of the right type;
* all text is NFC and not empty;
* ``code`` looks like ``1.001193`` and is used by one file only;
* ``group`` is an id from ``groups.yaml``; ``handled_by`` and ``submit`` use the known values;
* ``papers``: 1 to ``MAX_PAPERS``; ``need`` is always or sometimes; sometimes needs ``when``;
* ``checked`` is a real date, ``YYYY-MM-DD``;
* a phrase (after normalisation) used by two procedures must be in both files' ``shared_phrases``.

``services.yaml`` (optional) lists the centre's other help (issue 18: VNeID help, picking up a
result, feedback ...), checked the same way: known fields, NFC text, an id used once, a known
``counter`` type, an ``icon`` meaning ``service/<id>``, a summary of one or two sentences, and
phrases no procedure and no other service uses.

A file with any error of its own is left out of the catalogue. A phrase clash between two files
only drops the clashing phrase, so both procedures stay available.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procedures.model import (
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
)
from procedures.normalize import normalize
from procedures.problems import CatalogueError

__all__ = [
    "GROUPS_FILE",
    "MAX_PAPERS",
    "QUESTIONS_FILE",
    "SERVICES_FILE",
    "Catalogue",
    "CatalogueError",
    "default_directory",
    "load_catalogue",
]

MAX_PAPERS = 12
"""Most papers one procedure may list: the QR payload has one bit per paper (12 at most)."""

GROUPS_FILE = "groups.yaml"
"""The file of groups inside the catalogue folder."""
QUESTIONS_FILE = "questions.yaml"
"""The optional file of distinguishing questions for look-alike procedures."""
SERVICES_FILE = "services.yaml"
"""The optional file of the centre's services (help that is not a procedure)."""
MAX_ANSWERS = 5
"""Most answers one question may offer (the ask screen shows six buttons at most)."""

CODE_RE = re.compile(r"^\d\.\d{6}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GROUP_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


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
    "source": (_TEXT_LIST, True),
    "checked": ("date", True),
    "phrases": (_TEXT_LIST, True),
    "shared_phrases": (_TEXT_LIST, False),
}
_PAPER_FIELDS: dict[str, tuple[str, bool]] = {
    "short": (_TEXT, True),
    "explain": (_TEXT, True),
    "need": (_TEXT, True),
    "when": (_TEXT, False),
    "where_to_get": (_TEXT, True),
}
_GROUP_FIELDS: dict[str, tuple[str, bool]] = {
    "id": (_TEXT, True),
    "name": (_TEXT, True),
    "spoken_name": (_TEXT, True),
    "order": ("int", False),
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


class _Checker:
    """Collects the errors of one file."""

    def __init__(self, file: str, lines: Mapping[str, int]) -> None:
        self.file = file
        self.lines = lines
        self.errors: list[CatalogueError] = []

    def add(self, path: str, problem: str, expected: str) -> None:
        self.errors.append(CatalogueError(self.file, path, problem, expected, self.lines.get(path)))

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
        if len(check.errors) == before and gid and gname and spoken:
            seen.add(gid)
            groups.append(Group(id=gid, name=gname, spoken_name=spoken, order=int(order)))
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
    path: Path, group_ids: set[str] | None
) -> tuple[Procedure | None, list[CatalogueError], dict[str, int]]:
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
    source = check.text_list(d["source"], "source") if "source" in d else ()
    phrases = check.text_list(d["phrases"], "phrases") if "phrases" in d else ()
    shared = (
        check.text_list(d["shared_phrases"], "shared_phrases", allow_empty=True)
        if "shared_phrases" in d
        else ()
    )

    checked: str | None = None
    if "checked" in d:
        value = d["checked"]
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            checked = value.isoformat()
        elif isinstance(value, str):
            try:
                checked = _dt.date.fromisoformat(value.strip()).isoformat()
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                    raise ValueError
            except ValueError:
                checked = None
                check.add(
                    "checked",
                    f"'{value}' is not a date",
                    'a date written YYYY-MM-DD, e.g. "2026-11-23"',
                )
        else:
            check.add(
                "checked", f"is {_type_name(value)}", 'a date written YYYY-MM-DD, e.g. "2026-11-23"'
            )

    papers: list[Paper] = []
    if "papers" in d:
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
                paper = _check_paper(check, item, f"papers[{i}]")
                if paper is not None:
                    papers.append(paper)

    if check.errors:
        return None, check.errors, lines
    assert code and group and handled and checked  # all checked above
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
        source=source,
        checked=checked,
        phrases=phrases,
        shared_phrases=shared,
    )
    return procedure, [], lines


def _check_paper(check: _Checker, item: Any, p: str) -> Paper | None:
    before = len(check.errors)
    d = check.fields(item, _PAPER_FIELDS, p, "paper")
    if d is None:
        return None
    vals = {k: check.text(d[k], f"{p}.{k}") for k in ("short", "explain", "where_to_get") if k in d}
    need: Need | None = None
    if "need" in d:
        raw = d["need"]
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
    if need is Need.SOMETIMES and "when" not in d:
        check.add(
            f"{p}.when",
            "is missing for a paper needed only sometimes",
            'a when: line saying in which case it is needed, e.g. "Chỉ khi ..."',
        )
    if need is Need.ALWAYS and "when" in d:
        check.add(
            f"{p}.when",
            "is given for a paper that is always needed",
            "need: sometimes, or no when: line",
        )
    if len(check.errors) != before or need is None:
        return None
    return Paper(
        short=vals["short"] or "",
        explain=vals["explain"] or "",
        need=need,
        when=when,
        where_to_get=vals["where_to_get"] or "",
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
        if path.name in (GROUPS_FILE, QUESTIONS_FILE, SERVICES_FILE) or path.name.startswith("."):
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
        proc, errs, lines = _check_procedure(path, group_ids)
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
    "name": (_TEXT, True),
    "short_name": (_TEXT, True),
    "spoken_name": (_TEXT, True),
    "summary": (_TEXT, True),
    "bring": (_TEXT_LIST, True),
    "counter": (_TEXT, True),
    "icon": (_TEXT, True),
    "phrases": (_TEXT_LIST, True),
}
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
    for i, item in enumerate(items, start=1):
        p = f"services[{i}]"
        before = len(check.errors)
        d = check.fields(item, _SERVICE_FIELDS, p, "service")
        if d is None or len(check.errors) != before:
            continue
        texts = {
            k: check.text(d[k], f"{p}.{k}")
            for k in ("id", "name", "short_name", "spoken_name", "summary", "counter", "icon")
        }
        sid = texts["id"]
        if sid is not None and (not GROUP_ID_RE.match(sid) or sid in seen):
            problem = "is used twice" if sid in seen else "is not a valid id"
            check.add(f"{p}.id", f"'{sid}' {problem}", "a new id of lower-case letters, digits, _")
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
        assert sid and icon and summary
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
        out.append(
            Service(
                id=sid,
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
