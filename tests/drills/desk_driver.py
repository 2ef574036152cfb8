"""A desk process for the power drill: the real ``desk.service.Desk`` on the shared journal.

``python -m tests.drills.desk_driver --rounds N --seed S`` with ``HOTRO_HOME`` set does what staff
do at the desk, round after round: make a case for a resident without a slip, scan the QR payload
of a terminal case, call the next resident, mark them done. One JSON line per step, flushed:
``{"start": pid}``, ``{"desk_case": id, "ticket": label}``, ``{"scanned": case_id}``,
``{"called": ticket}``, ``{"done": rounds}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys


def emit(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from cases.keys import load_key
    from desk.service import Desk, DeskSettings
    from procedures.catalogue import load_catalogue
    from terminal.config import Config

    config = Config()
    catalogue = load_catalogue()
    desk = Desk(
        DeskSettings(
            journal_path=config.journal_path,
            key=load_key(config.key_path),
            catalogue=catalogue,
            password_hash="unused-by-the-service",
        )
    )
    rng = random.Random(args.seed)
    codes = sorted(catalogue.procedures)
    emit(start=os.getpid())
    for _ in range(args.rounds):
        case_id = desk.new_case(rng.choice(codes), rng.choice(("none", "elderly")))
        row = desk.journal.case(case_id)
        assert row is not None
        emit(desk_case=case_id, ticket=row.ticket_label)
        terminal_cases = [c for c in desk.journal.cases() if c.channel == "terminal"]
        if terminal_cases:
            outcome = desk.scan(rng.choice(terminal_cases).payload)
            emit(scanned=outcome.case_id, ok=outcome.ok)
        entry = desk.call_next(1)
        if entry is not None:
            emit(called=entry.ticket)
            desk.act(entry.case_id, "done")
    emit(done=args.rounds)
    desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
