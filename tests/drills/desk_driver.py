"""A desk process for the power drill: the real desk web app on the shared journal.

``python -m tests.drills.desk_driver --rounds N --seed S`` with ``HOTRO_HOME`` set builds the
desk's FastAPI app (``desk.app.create_app``) and drives it over HTTP in-process (Starlette's
test client: the real routes, sign-in, CSRF, session cookie, ``desk.service.Desk``, journal) as
staff do, round after round: a case for a resident without a slip (POST /new), the QR payload of
a terminal case scanned (POST /scan), the next resident called (POST /call), served and marked done.
One JSON line per step, flushed: ``{"start": pid}``, ``{"desk_case": id, "ticket": label}``,
``{"scanned": case_id}``, ``{"called": case_id}``, ``{"done": rounds}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys

PIN = "246810"


def emit(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from fastapi.testclient import TestClient

    from cases.journal import Journal
    from cases.keys import load_key
    from desk.app import create_app
    from desk.auth import hash_password
    from desk.service import DeskSettings
    from procedures.catalogue import load_catalogue
    from terminal.config import Config

    config = Config()
    catalogue = load_catalogue()
    settings = DeskSettings(
        journal_path=config.journal_path,
        key=load_key(config.key_path),
        catalogue=catalogue,
        password_hash=hash_password(PIN),
    )
    rng = random.Random(args.seed)
    codes = sorted(catalogue.procedures)
    reader = Journal(config.journal_path)

    def csrf(html: str) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', html)
        assert found, "no CSRF field in the page"
        return found.group(1)

    def case_of(response) -> int:  # noqa: ANN001
        assert response.status_code == 303, (response.status_code, response.text[:300])
        found = re.search(r"case=(\d+)", response.headers.get("location", ""))
        assert found, response.headers.get("location")
        return int(found.group(1))

    with TestClient(create_app(settings), base_url="http://127.0.0.1") as web:
        signed = web.post("/signin", data={"password": PIN, "csrf": csrf(web.get("/signin").text)})
        assert signed.status_code == 200 and "/signin" not in str(signed.url), signed.text[:300]
        token = csrf(web.get("/").text)
        emit(start=os.getpid())
        for _ in range(args.rounds):
            made = web.post(
                "/new",
                data={"procedure": rng.choice(codes), "priority": rng.choice(("none", "elderly")),
                      "csrf": token},
                follow_redirects=False,
            )
            case_id = case_of(made)
            row = reader.case(case_id)
            assert row is not None
            emit(desk_case=case_id, ticket=row.ticket_label)
            terminal_cases = [c for c in reader.cases() if c.channel == "terminal"]
            if terminal_cases:
                scanned = web.post(
                    "/scan",
                    data={"payload": rng.choice(terminal_cases).payload, "csrf": token},
                    follow_redirects=False,
                )
                emit(scanned=case_of(scanned))
            called = web.post("/call", data={"counter": "1", "csrf": token},
                              follow_redirects=False)
            if "case=" in called.headers.get("location", ""):
                called_id = case_of(called)
                emit(called=called_id)
                for action in ("start", "done"):
                    moved = web.post(f"/case/{called_id}/{action}", data={"csrf": token},
                                     follow_redirects=False)
                    assert moved.status_code == 303
    reader.close()
    emit(done=args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
