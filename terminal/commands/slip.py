"""``hotro keys init|rotate|list``, ``hotro print`` and ``hotro handoff decode``: the slip and
its QR code.

``hotro print`` takes the next ticket from the journal, records the case (on disk before
anything is printed), renders the slip, prints it and records the outcome. On a fresh machine
it creates the centre key on first use and says so (copy that key to the desk).

Exit codes: 0 done; 1 printing failed (the case is kept; a PNG copy is saved) or a payload was
refused; 2 a usage or setup problem (unknown procedure, bad option, unreadable key/journal).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

PRIORITIES = ("none", "elderly", "disabled", "pregnant", "small_child", "seriously_ill")
NEEDS = ("hard_of_hearing", "low_vision", "writing_help", "wheelchair")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``keys``, ``print`` and ``handoff``."""
    keys = sub.add_parser("keys", help="the centre's secret key for slip QR codes")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    keys_sub.required = True
    init = keys_sub.add_parser("init", help="create the centre key (shared by terminal and desk)")
    init.add_argument("--force", action="store_true", help="replace an existing key")
    init.set_defaults(func=keys_init)
    rotate = keys_sub.add_parser(
        "rotate",
        help="replace the centre key; slips signed with the old one still verify at the desk "
        "for a grace period",
        description="Make a new centre key. The old key moves to <key file>.previous and the "
        "desk accepts it until the end of the day after the rotation (--grace-days). Copy the "
        "new key file to every terminal, and both files to the desk machine.",
    )
    rotate.add_argument(
        "--grace-days", type=int, default=None, metavar="N",
        help="days after today during which the old key is still accepted (0: until the end of "
        "today; default 1: until the end of tomorrow; at most 30)",
    )
    rotate.set_defaults(func=keys_rotate)
    listing = keys_sub.add_parser(
        "list", help="show the current and retired keys (fingerprints only, never the keys)"
    )
    listing.set_defaults(func=keys_list)

    pr = sub.add_parser("print", help="print a slip for a procedure and show its QR payload")
    pr.add_argument("--procedure", required=True, metavar="CODE", help="e.g. 1.001193")
    pr.add_argument(
        "--have",
        default="",
        metavar="1,3:2",
        help="numbers of the papers the resident has; 3:2 = paper 3, through its alternative 2",
    )
    pr.add_argument("--priority", default="none", choices=PRIORITIES, help="priority reason")
    pr.add_argument("--needs", default="", metavar="NEED,...", help=f"any of {','.join(NEEDS)}")
    pr.add_argument("--delivery", default="centre", choices=("centre", "post"))
    pr.add_argument("--printer", metavar="URI", help="default: the configured printer")
    pr.add_argument("--paper", type=int, choices=(58, 80), help="paper width in mm")
    pr.add_argument("--lang", default="vi", choices=("vi", "en"), help="slip language")
    pr.add_argument("--json", action="store_true", help="print the result as JSON")
    pr.set_defaults(func=print_slip)

    hand = sub.add_parser("handoff", help="read a slip's QR payload at the desk")
    hand_sub = hand.add_subparsers(dest="handoff_command", metavar="ACTION")
    hand_sub.required = True
    dec = hand_sub.add_parser("decode", help="verify a payload and show the case")
    dec.add_argument("payload", metavar="PAYLOAD")
    dec.add_argument("--json", action="store_true", help="print the case as JSON")
    dec.set_defaults(func=handoff_decode)


def _fail(message: str, code: int = 2) -> int:
    print(f"hotro: {message}", file=sys.stderr)
    return code


def keys_init(args: argparse.Namespace) -> int:
    from cases.keys import KeyFileError, init_key
    from terminal.commands import config_from

    config = config_from(args)
    try:
        init_key(config.key_path, force=args.force)
    except KeyFileError as exc:
        return _fail(str(exc))
    print(f"Created the centre key at {config.key_path}.")
    print("Copy this file to every terminal and to the desk machine of this centre.")
    return 0


def keys_rotate(args: argparse.Namespace) -> int:
    from cases.keys import DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS, KeyFileError, fingerprint, rotate_key
    from terminal.commands import config_from

    config = config_from(args)
    grace = DEFAULT_GRACE_DAYS if args.grace_days is None else args.grace_days
    if not 0 <= grace <= MAX_GRACE_DAYS:
        return _fail(f"--grace-days {grace}: expected 0..{MAX_GRACE_DAYS}")
    try:
        ring = rotate_key(config.key_path, grace_days=grace)
    except KeyFileError as exc:
        return _fail(str(exc))
    old = ring.retired[0]
    print(f"New centre key {fingerprint(ring.current)} at {config.key_path}.")
    print(f"The old key {fingerprint(old.key)} is accepted by the desk until "
          f"{old.until:%Y-%m-%d %H:%M}.")
    print("Copy the new key file to every terminal of this centre today; copy it and "
          f"{config.key_path.name}.previous to the desk machine.")
    return 0


def keys_list(args: argparse.Namespace) -> int:
    from datetime import datetime

    from cases.keys import KeyFileError, fingerprint, load_keyring
    from terminal.commands import config_from

    config = config_from(args)
    try:
        ring = load_keyring(config.key_path)
    except KeyFileError as exc:
        return _fail(str(exc))
    now = datetime.now()
    print(f"current  {fingerprint(ring.current)}  {config.key_path}")
    for old in ring.retired:
        state = "accepted until" if old.accepted_at(now) else "expired since"
        print(f"retired  {fingerprint(old.key)}  retired {old.retired:%Y-%m-%d %H:%M}, "
              f"{state} {old.until:%Y-%m-%d %H:%M}")
    return 0


def _parse_have(
    text: str, papers: tuple[Any, ...]
) -> tuple[tuple[bool, ...], frozenset[tuple[int, int]]]:
    """``--have 1,3:2``: the papers had, and (paper, alternative) pairs (0-based)."""
    count = len(papers)
    had: set[int] = set()
    chosen: set[tuple[int, int]] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        number, colon, alternative = part.partition(":")
        if not number.isdigit() or not 1 <= int(number) <= count:
            raise ValueError(f"--have {text!r}: {part!r} is not a paper number 1..{count}")
        i = int(number) - 1
        had.add(i)
        if colon:
            options = len(papers[i].alternatives)
            if not alternative.isdigit() or not 1 <= int(alternative) <= options:
                raise ValueError(
                    f"--have {text!r}: paper {number} has "
                    + (f"alternatives 1..{options}" if options else "no alternatives")
                )
            chosen.add((i, int(alternative) - 1))
    return tuple(i in had for i in range(count)), frozenset(chosen)


def _parse_needs(text: str) -> frozenset[Any]:
    from cases.case import Need

    out = set()
    for part in text.replace(" ", "").split(","):
        if part:
            if part not in NEEDS:
                raise ValueError(f"--needs: {part!r} is not one of {', '.join(NEEDS)}")
            out.add(Need(part))
    return frozenset(out)


def _key(path: Path, create: bool) -> tuple[bytes | None, str]:
    """The centre key, creating it when ``create`` and none exists; (None, message) on failure."""
    from cases.keys import KeyFileError, init_key, load_key

    try:
        return load_key(path), ""
    except KeyFileError as exc:
        if not create or path.exists():
            return None, str(exc)
    try:
        key = init_key(path)
    except KeyFileError as exc:
        return None, str(exc)
    return key, (
        f"note: created a new centre key at {path} (first use). Copy it to the desk machine "
        "so staff can read these slips."
    )


def print_slip(args: argparse.Namespace) -> int:
    from datetime import datetime

    from cases.case import Case, Delivery, Priority
    from cases.codec import encode
    from cases.journal import Journal, JournalError
    from printer.output import print_image, width_dots
    from printer.render import render_slip
    from printer.slip import build_slip
    from procedures.catalogue import load_catalogue
    from terminal.commands import config_from

    config = config_from(args)
    procedure = load_catalogue().get(args.procedure)
    if procedure is None:
        return _fail(
            f"no procedure with code {args.procedure!r}; `hotro procedures list` shows the codes"
        )
    try:
        have, chosen = _parse_have(args.have, procedure.papers)
        needs = _parse_needs(args.needs)
    except ValueError as exc:
        return _fail(str(exc))
    key, note = _key(config.key_path, create=True)
    if key is None:
        return _fail(note)
    if note:
        print(note, file=sys.stderr)
    uri = args.printer or config.printer_uri
    paper = args.paper or config.printer.paper
    priority = Priority(args.priority)
    try:
        journal = Journal(config.journal_path, day_start_hour=config.centre.day_start_hour)
    except JournalError as exc:
        return _fail(str(exc))
    try:
        ticket = journal.next_ticket(config.centre.terminal_id, priority is not Priority.NONE,
                                     origin=config.centre.number)
        case = Case(
            terminal_id=config.centre.terminal_id,
            ticket=ticket,
            procedure_code=procedure.code,
            have=have,
            chosen=chosen,
            priority=priority,
            needs=needs,
            delivery=Delivery(args.delivery),
            created=datetime.now().replace(microsecond=0),
        )
        payload = encode(case, key)
        case_id = journal.record_case(case, payload)
        slip = build_slip(
            case, procedure, config.centre.name, config.centre.phone, payload, args.lang
        )
        image = render_slip(slip, width_dots(uri, paper))
        outcome = print_image(
            image,
            uri,
            paper_mm=paper,
            timeout=config.printer.timeout,
            name=ticket.label,
            fallback_dir=config.home / "slips",
        )
        journal.record_print(case_id, outcome.ok, outcome.problem)
        if not outcome.ok:
            journal.record_event("printer", f"{outcome.problem}: {outcome.detail}")
    except JournalError as exc:
        return _fail(str(exc))
    finally:
        journal.close()
    if args.json:
        print(
            json.dumps(
                {
                    "ok": outcome.ok,
                    "payload": payload,
                    "ticket": ticket.label,
                    "case_id": case_id,
                    "printer": uri,
                    "problem": outcome.problem,
                    "detail": outcome.detail,
                    "preview": str(outcome.preview) if outcome.preview else None,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(payload)
        if outcome.preview is not None:
            print(f"preview: {outcome.preview}")
        print(
            f"ticket {ticket.label} · {procedure.short_name} · {outcome.detail}",
            file=sys.stderr,
        )
    if not outcome.ok:
        if not args.json:
            print(f"hotro: printing failed ({outcome.problem}); the case is kept.", file=sys.stderr)
        return 1
    return 0


def handoff_decode(args: argparse.Namespace) -> int:
    from cases.codec import PayloadError, case_to_dict, decode
    from procedures.catalogue import load_catalogue
    from terminal.commands import config_from

    config = config_from(args)
    key, message = _key(config.key_path, create=False)
    if key is None:
        return _fail(message)
    from datetime import datetime

    from cases.keys import KeyFileError, load_keyring

    try:
        ring = load_keyring(config.key_path)
    except KeyFileError as exc:
        return _fail(str(exc))
    now = datetime.now()
    catalogue = load_catalogue()
    try:
        case = decode(
            args.payload, ring.accepted(now), catalogue,
            retired=tuple(r.key for r in ring.expired(now)),
        )
    except PayloadError as exc:
        if args.json:
            print(json.dumps({"ok": False, "reason": exc.reason, "message": str(exc)}))
        else:
            print(f"refused ({exc.reason}): {exc}", file=sys.stderr)
        return 1
    service = catalogue.service(case.service) if case.service else None
    procedure = catalogue.get(case.procedure_code)
    assert procedure is not None or service is not None  # decode refuses unknown ones
    if args.json:
        data = case_to_dict(case)
        if service is not None:
            data["service_name"] = service.short_name
        else:
            assert procedure is not None
            data["procedure_name"] = procedure.short_name
            data["papers"] = [p.short for p in procedure.papers]
        print(json.dumps({"ok": True, "case": data}, ensure_ascii=False))
        return 0
    ticket = case.ticket.label
    rows = [
        (
            "Ticket",
            f"{ticket}"
            + (
                f" (priority: {case.priority.value})"
                if case.ticket.priority or case.priority.value != "none"
                else ""
            ),
        ),
        ("Terminal", case.terminal_id),
    ]
    if service is not None:
        rows.append(("Service", f"{service.id} {service.short_name}"))
        if case.topic:
            call = ", an officer is to call back" if case.call_back else ""
            rows.append(("Feedback", f"about {case.topic.replace('_', ' ')}{call}"))
    else:
        assert procedure is not None
        rows += [
            ("Procedure", f"{case.procedure_code} {procedure.short_name}"),
            ("Papers", f"{len(case.have)}: has {sum(case.have)}, missing {len(case.missing)}"),
        ]
        for i, (paper, has) in enumerate(zip(procedure.papers, case.have, strict=True)):
            which = paper.alternative(case.chosen_for(i))
            name = f"{paper.short}: {which.name}" if which is not None else paper.short
            rows.append(("", f"[{'x' if has else ' '}] {name}"))
    rows.append(
        ("Needs", ", ".join(sorted(n.value.replace("_", " ") for n in case.needs)) or "none"))
    if service is None:
        rows.append(("Result", "by post" if case.delivery.value == "post" else "at the centre"))
    rows.append(("Made", case.created.isoformat(sep=" ")))
    for label, value in rows:
        print(f"{label:<10} {value}")
    return 0
