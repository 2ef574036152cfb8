"""`hotro procedures ...`: list, show, check and search the procedure catalogue.

hotro procedures list                 code, group and short name of every procedure
hotro procedures show 1.001193        everything about one procedure (code or file slug)
hotro procedures show vneid_help      ... or one service (its id)
hotro procedures check [DIR]          exit 1 listing every error; exit 0 "N procedures OK" (and
                                      "N services OK" when the folder has a services.yaml)
hotro procedures search TEXT [--json] [--top N]
hotro procedures search --stdin       one query per line in, one JSON object per line out
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procedures import Catalogue, CatalogueError, MatchResult, Procedure, Service


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
    dir_option(p_show)
    p_show.set_defaults(func=cmd_show)

    p_check = psub.add_parser(
        "check", help="validate a catalogue folder; exit 1 with every error when invalid"
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
            f"  {i}. {paper.short}  [{need}]",
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
    if proc is not None:
        print(format_procedure(proc, catalogue))
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


def cmd_check(args: argparse.Namespace) -> int:
    from procedures import load_catalogue
    from procedures.everyday import load_everyday

    catalogue = load_catalogue(args.directory)
    everyday = load_everyday()
    errors = (*catalogue.errors, *everyday.errors, *_picture_errors(catalogue))
    if errors:
        for err in errors:
            line = f" (line {err.line})" if err.line and f"line {err.line}" not in str(err) else ""
            print(f"{err}{line}")
        files = len({e.file for e in errors})
        print(
            f"{len(errors)} error(s) in {files} file(s); "
            f"{len(catalogue.procedures)} procedures loaded"
        )
        return 1
    print(f"{len(catalogue.procedures)} procedures OK")
    if catalogue.services:
        print(f"{len(catalogue.services)} services OK")
    return 0


def _picture_errors(catalogue: Catalogue) -> list[CatalogueError]:
    """A service whose ``icon`` is no picture of ``procedures/icons/manifest.yaml``."""
    from procedures import CatalogueError
    from procedures.catalogue import SERVICES_FILE
    from procedures.pictures import load_pictures

    pictures = load_pictures(check_files=False)
    return [
        CatalogueError(
            SERVICES_FILE,
            f"services[{i}].icon",
            f"'{service.icon}' has no picture",
            "a meaning listed in procedures/icons/manifest.yaml",
        )
        for i, service in enumerate(catalogue.services.values(), start=1)
        if pictures.get(service.icon) is None
    ]


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
