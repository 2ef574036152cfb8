"""`hotro procedures ...`: list, show, check and search the procedure catalogue.

hotro procedures list                 code, group and short name of every procedure
hotro procedures show 1.001193        everything about one procedure (code or file slug)
hotro procedures show vneid_help      ... or one service (its id)
hotro procedures show 1.001193 --sources   for each fact: its sources and the date checked
hotro procedures show 1.001193 --json      the procedure as one JSON object, with each picture
hotro procedures check [DIR]          exit 1 listing every error (schema and content); exit 0
                                      "N procedures OK" (and "N services OK" when the folder
                                      has a services.yaml)
hotro procedures search TEXT [--json] [--top N]
hotro procedures search --stdin       one query per line in, one JSON object per line out
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procedures import Catalogue, CatalogueError, MatchResult, Procedure, Service
    from procedures.model import Paper
    from procedures.pictures import Pictures


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``hotro procedures`` and its sub-commands."""
    parser = sub.add_parser(
        "procedures",
        help="list, show, check and search the procedure catalogue",
        description="The procedure catalogue: list, show, check and search.",
    )
    psub = parser.add_subparsers(dest="procedures_command", metavar="ACTION")
    psub.required = True

    def dir_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--dir",
            type=Path,
            default=None,
            metavar="DIR",
            help="catalogue folder (default: the shipped catalogue)",
        )

    p_list = psub.add_parser("list", help="code, group and short name of every procedure")
    dir_option(p_list)
    p_list.set_defaults(func=cmd_list)

    p_show = psub.add_parser("show", help="everything about one procedure or service")
    p_show.add_argument(
        "code", metavar="CODE", help="procedure code (1.001193), file slug, or service id"
    )
    p_show.add_argument(
        "--sources",
        action="store_true",
        help="for each fact: where it comes from, the date it was checked, and what is unsure "
        "(as text; --json leaves sources out)",
    )
    p_show.add_argument(
        "--json",
        action="store_true",
        help='print it as one JSON object; "icon" is its picture (a path relative to the '
        "procedures package, null when it has none), for the procedure and each paper",
    )
    dir_option(p_show)
    p_show.set_defaults(func=cmd_show)

    p_check = psub.add_parser(
        "check",
        help="validate a catalogue folder and its content; exit 1 with every error",
        description=(
            "Check the catalogue's files (schema) and its words (content): sentences of at "
            "most 25 syllables, legal terms explained, paper names that read right, unsure "
            "facts hedged, no English words or dates the speech reader would misread. Rules: "
            "content-rules.yaml in the catalogue folder."
        ),
    )
    p_check.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=None,
        metavar="DIR",
        help="catalogue folder (default: the shipped catalogue)",
    )
    p_check.set_defaults(func=cmd_check)

    p_search = psub.add_parser(
        "search",
        help="find the procedure for what a resident says",
        description=(
            "Match a resident's words to procedures. Verdict: match (one clear procedure), "
            "ask (2-4 to offer) or none. With --stdin: one query per line in, one JSON "
            'object per line out: {"query", "verdict", "matches": [{"code", "name", '
            '"score", "kind"}]}; kind is "procedure" or "service" (the service id is the '
            "code)."
        ),
    )
    p_search.add_argument("text", nargs="*", metavar="TEXT", help="what the resident said")
    p_search.add_argument("--json", action="store_true", help="print one JSON object")
    p_search.add_argument(
        "--top",
        type=int,
        default=4,
        metavar="N",
        help="list at most N procedures (default 4; an ask offers at most 4)",
    )
    p_search.add_argument(
        "--stdin", action="store_true", help="read one query per line; write JSON lines"
    )
    dir_option(p_search)
    p_search.set_defaults(func=cmd_search)


def _load(directory: Path | None) -> Catalogue:
    from procedures import load_catalogue

    catalogue = load_catalogue(directory)
    if catalogue.errors:
        print(
            f"warning: {len(catalogue.errors)} catalogue error(s); run "
            "'hotro procedures check' to see them",
            file=sys.stderr,
        )
    return catalogue


def cmd_list(args: argparse.Namespace) -> int:
    catalogue = _load(args.dir)
    rows = [("CODE", "GROUP", "SHORT NAME")]
    for proc in catalogue.procedures.values():
        name = proc.short_name if proc.handled_here else f"{proc.short_name} (công an xã)"
        rows.append((proc.code, proc.group, name))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for code, group, name in rows:
        print(f"{code:<{widths[0]}}  {group:<{widths[1]}}  {name}")
    print(f"{len(catalogue.procedures)} procedures")
    return 0


def _find(catalogue: Catalogue, key: str) -> Procedure | None:
    key = key.strip()
    if key.endswith(".yaml"):
        key = key[: -len(".yaml")]
    return catalogue.get(key) or catalogue.by_slug(key)


def format_procedure(proc: Procedure, catalogue: Catalogue) -> str:
    """Every field of one procedure, readable in a terminal."""
    group = catalogue.group(proc.group)
    group_name = f"{group.name} ({proc.group})" if group else proc.group
    where = "the centre" if proc.handled_here else "the commune police (referral)"
    lines = [
        f"{proc.code}  {proc.short_name}",
        f"  official name: {proc.name}",
        f"  spoken name:   {proc.spoken_name}",
        f"  group:         {group_name}",
        f"  handled by:    {where}",
        f"  file:          {proc.slug}.yaml",
        "",
        f"Summary: {proc.summary}",
        f"Who: {proc.who}",
        "",
        f"Papers ({len(proc.papers)}):",
    ]
    for i, paper in enumerate(proc.papers, start=1):
        need = paper.need.value + (f": {paper.when}" if paper.when else "")
        lines += [
            f"  {i}. {paper.short}  [{need}]  ({paper.id} in papers.yaml)",
            f"     {paper.explain}",
            f"     where to get it: {paper.where_to_get}",
        ]
    lines += [
        "",
        f"Fee: {proc.fee}",
        f"Time: {proc.time}",
        f"Submit: {', '.join(c.value for c in proc.submit)}",
        f"Result: {proc.result}",
        "Legal basis:",
        *(f"  - {x}" for x in proc.legal_basis),
        "Source:",
        *(f"  - {x}" for x in proc.source),
        f"Checked: {proc.checked}",
        "Phrases:",
        *(f"  - {x}" for x in proc.phrases),
    ]
    if proc.shared_phrases:
        lines += ["Shared phrases:", *(f"  - {x}" for x in proc.shared_phrases)]
    return "\n".join(lines)


def format_service(service: Service) -> str:
    """Every field of one service, readable in a terminal."""
    return "\n".join(
        [
            f"{service.id}  {service.short_name}  (service)",
            f"  name:          {service.name}",
            f"  spoken name:   {service.spoken_name}",
            f"  counter:       {service.counter.value}",
            f"  QR code:       {service.code}",
            f"  picture:       {service.icon}",
            "",
            f"Summary: {service.summary}",
            "Bring:",
            *(f"  - {x}" for x in service.bring),
            "Phrases:",
            *(f"  - {x}" for x in service.phrases),
        ]
    )


def cmd_show(args: argparse.Namespace) -> int:
    catalogue = _load(args.dir)
    proc = _find(catalogue, args.code)
    service = catalogue.service(args.code.strip())
    if args.json and (proc is not None or service is not None):
        from procedures.pictures import load_pictures

        pictures = load_pictures(check_files=False)
        data = procedure_json(proc, pictures) if proc else service_json(service, pictures)
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if proc is not None:
        print(format_sources(proc) if args.sources else format_procedure(proc, catalogue))
        return 0
    if service is not None:
        print(format_service(service))
        return 0
    print(
        f"hotro: no procedure with code or file name '{args.code}' and no service with that "
        "id; see 'hotro procedures list'",
        file=sys.stderr,
    )
    return 1


def _icon(meaning: str, pictures: Pictures) -> dict[str, str | None]:
    picture = pictures.get(meaning)
    return {"icon": picture.relative if picture else None, "icon_meaning": meaning}


def procedure_json(proc: Procedure, pictures: Pictures) -> dict[str, Any]:
    """One procedure as the documented JSON object: the catalogue file's fields except its
    ``unsure`` notes and ``sources`` (``--sources`` prints those, as text), papers
    with their shared name, explanation, need, case and alternatives; ``icon`` (the picture's
    path relative to the ``procedures`` package, e.g. ``icons/baby.png``; null when the
    pictures have none) and ``icon_meaning`` for the procedure, each paper and alternative."""

    def paper_json(paper: Paper) -> dict[str, Any]:
        return {
            "id": paper.id,
            "name": paper.short,
            "explain": paper.explain,
            "need": paper.need.value,
            "when": paper.when,
            "where_to_get": paper.where_to_get,
            "note": paper.note,
            **_icon(paper.icon, pictures),
            "alternatives": [
                {"id": a.id, "name": a.name, **_icon(a.icon, pictures)} for a in paper.alternatives
            ],
        }

    return {
        "code": proc.code,
        "file": f"{proc.slug}.yaml",
        "name": proc.name,
        "short_name": proc.short_name,
        "spoken_name": proc.spoken_name,
        "group": proc.group,
        "handled_by": proc.handled_by.value,
        **_icon(proc.icon, pictures),
        "summary": proc.summary,
        "who": proc.who,
        "papers": [paper_json(p) for p in proc.papers],
        "fee": proc.fee,
        "time": proc.time,
        "submit": [c.value for c in proc.submit],
        "result": proc.result,
        "legal_basis": list(proc.legal_basis),
        "source": list(proc.source),
        "checked": proc.checked,
        "phrases": list(proc.phrases),
        "shared_phrases": list(proc.shared_phrases),
    }


def service_json(service: Service, pictures: Pictures) -> dict[str, Any]:
    """One service as a JSON object, with its picture like ``procedure_json``."""
    return {
        "id": service.id,
        "kind": "service",
        "name": service.name,
        "short_name": service.short_name,
        "spoken_name": service.spoken_name,
        "counter": service.counter.value,
        **_icon(service.icon, pictures),
        "summary": service.summary,
        "bring": list(service.bring),
        "phrases": list(service.phrases),
    }


def _fact_value(proc: Procedure, fact: str) -> str:
    if fact == "papers":
        return "; ".join(p.short for p in proc.papers)
    if fact in ("submit", "legal_basis"):
        value = getattr(proc, fact)
        return ", ".join(getattr(v, "value", v) for v in value)
    return str(getattr(proc, fact))


def format_sources(proc: Procedure) -> str:
    """For each fact of ``proc``: its value, what the sources leave unsure, and each source with
    the date the fact was checked there (staff answer "where does it say that?")."""
    from procedures.model import FACTS

    lines = [
        f"{proc.code}  {proc.short_name}: where each fact comes from",
        f"(file {proc.slug}.yaml, reviewed {proc.checked}; UNSURE = the sources are unsure: "
        "the terminal leaves it out or hedges it)",
    ]
    for fact in FACTS:
        lines += ["", f"{fact}: {_fact_value(proc, fact)}"]
        for item in proc.unsure_of(fact):
            which = f" ({item.fact[len('papers.'):]})" if item.fact.startswith("papers.") else ""
            lines.append(f"  UNSURE{which}: {item.why}")
        sources = proc.sources_of(fact)
        for source in sources:
            note = f" — {source.note}" if source.note else ""
            lines.append(f"  - {source.url} (checked {source.checked}){note}")
        if not sources:
            lines.append("  (no source names this fact)")
    others = [u for u in proc.unsure if u.fact == "other"]
    if others:
        lines += ["", "other:", *(f"  UNSURE: {u.why}" for u in others)]
    return "\n".join(lines)


def catalogue_problems(
    directory: Path | None, pictures_dir: Path | None = None
) -> tuple[Catalogue, list[CatalogueError]]:
    """The catalogue in ``directory`` and every problem: schema errors, the pictures (each PNG
    of ``pictures_dir``, default the shipped ``procedures/icons``, and each ``icon`` of the
    catalogue), rules-file errors, then content problems (read through the Vietnamese speech
    reader)."""
    from procedures import load_catalogue
    from procedures.catalogue import RULES_FILE, default_directory
    from procedures.content import check_content, load_rules
    from procedures.everyday import load_everyday
    from procedures.pictures import catalogue_picture_errors, load_pictures
    from voices.reading import speakable

    catalogue = load_catalogue(directory)
    everyday = load_everyday()
    folder = directory or default_directory()
    rules_path = Path(folder) / RULES_FILE
    rules, rule_errors = load_rules(rules_path if rules_path.is_file() else None)
    findings = check_content(catalogue, reader=speakable, rules=rules)
    pictures = load_pictures(pictures_dir)  # every PNG opened: exists, PNG, its size
    return catalogue, [
        *catalogue.errors,
        *everyday.errors,
        *pictures.errors,
        *catalogue_picture_errors(catalogue, pictures),
        *rule_errors,
        *(f.error for f in findings),
    ]


def cmd_check(args: argparse.Namespace) -> int:
    catalogue, problems = catalogue_problems(args.directory)
    if problems:
        for err in problems:
            line = f" (line {err.line})" if err.line and f"line {err.line}" not in str(err) else ""
            print(f"{err}{line}")
        files = len({e.file for e in problems})
        print(
            f"{len(problems)} error(s) in {files} file(s); "
            f"{len(catalogue.procedures)} procedures loaded"
        )
        return 1
    print(f"{len(catalogue.procedures)} procedures OK")
    if catalogue.services:
        print(f"{len(catalogue.services)} services OK")
    return 0


def result_json(query: str, result: MatchResult, top: int = 4) -> dict[str, object]:
    """The search answer as the documented JSON object.

    ``matches`` is best first: for ``match`` the clear winner, then up to ``top - 1`` runners-up
    for information; for ``ask`` the procedures the terminal offers; for ``none`` nothing. Each
    has ``kind``: ``procedure``, or ``service`` (help of the centre; ``code`` is its id).
    A ``none`` about something the centre does not do adds ``referral``: ``{"id", "text"}``.
    """
    shown = result.candidates
    if result.verdict == "match":
        shown = result.candidates + tuple(r for r in result.ranked if r not in result.candidates)
    answer: dict[str, object] = {
        "query": query,
        "verdict": result.verdict,
        "matches": [
            {"code": c.code, "name": c.name, "score": c.score, "kind": c.kind} for c in shown[:top]
        ],
    }
    if result.referral is not None:
        answer["referral"] = {"id": result.referral.id, "text": result.referral.text}
    return answer


def cmd_search(args: argparse.Namespace) -> int:
    from procedures import match

    if args.top < 1:
        print("hotro: --top must be 1 or more", file=sys.stderr)
        return 2
    if not args.stdin and not args.text:
        print("hotro: give the TEXT to search for, or --stdin", file=sys.stderr)
        return 2
    catalogue = _load(args.dir)
    if args.stdin:
        for raw in sys.stdin:
            query = raw.strip()
            if not query:
                continue
            answer = result_json(query, match(query, catalogue, top=args.top), args.top)
            print(json.dumps(answer, ensure_ascii=False), flush=True)
        return 0
    query = " ".join(args.text)
    result = match(query, catalogue, top=args.top)
    if args.json:
        print(json.dumps(result_json(query, result, args.top), ensure_ascii=False))
        return 0
    print(f"verdict: {result.verdict}")
    if result.verdict == "none":
        print("Nothing in the catalogue fits; the terminal offers to call staff.")
        if result.referral is not None:
            print(f"Not done here ({result.referral.id}): {result.referral.text}")
    for i, cand in enumerate(result.candidates, start=1):
        kind = "  [service]" if cand.kind == "service" else ""
        print(f"  {i}. {cand.code}  {cand.name}  ({cand.score:.1f}){kind}")
    return 0
