"""A terminal process for the drills: the real session with the real ports of ``build_ports``.

``python -m tests.drills.visit_driver --visits N [--speech] [--seed S]`` with ``HOTRO_HOME`` set
runs N visits through the real dialogue, the real SQLite journal, the real centre key and the
configured printer (default: PNG slips in ``$HOTRO_HOME/slips``), and prints one JSON line per
step to stdout, flushed, so a parent can kill it at any point and know how far it got:

``{"start": pid, "notes": [...]}``, ``{"screen": name, "visit": i}``,
``{"printed": ticket, "payload": ..., "ok": bool, "problem": ...}``, ``{"said": text}`` (with
``--said``) and ``{"done": visits}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time


def emit(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=1)
    ap.add_argument("--speech", action="store_true", help="start the real VoiceOut speaker")
    ap.add_argument("--said", action="store_true", help="report every spoken text")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--printer", default="", help="printer URI (default: png slips)")
    args = ap.parse_args(argv)

    from terminal import dialogue as d
    from terminal.config import Config, PrinterConfig, TerminalConfig
    from terminal.ports import FakeClock
    from terminal.session import Ports, Session
    from terminal.wiring import build_context, build_ports

    config = Config(
        printer=PrinterConfig(uri=args.printer, timeout=3),
        terminal=TerminalConfig(languages=("vi",)),
    )
    rng = random.Random(args.seed)
    wiring = build_ports(config, speech=args.speech, listen=False)
    emit(start=os.getpid(), notes=wiring.notes, speech=bool(wiring.speaker.available))
    ctx = build_context(config, voice_input=False)

    speaker = wiring.speaker
    if args.said:

        class Reporting:
            def __init__(self, inner: object) -> None:
                self.inner = inner

            def __getattr__(self, name: str) -> object:
                return getattr(self.inner, name)

            def say_all(self, items) -> None:  # noqa: ANN001
                for _, text in items:
                    emit(said=text)
                self.inner.say_all(items)  # type: ignore[attr-defined]

        speaker = Reporting(wiring.speaker)

    class ReportingPrinter:
        def print_case(self, case, procedure, payload, lang):  # noqa: ANN001, ANN201
            report = wiring.printer.print_case(case, procedure, payload, lang)
            emit(printed=case.ticket.label, payload=payload, ok=report.ok, problem=report.problem)
            return report

    ports = Ports(speaker, wiring.journal, ReportingPrinter(), FakeClock(), wiring.encode)
    session = Session(ctx, ports, terminal_id=config.centre.terminal_id)
    session.on_screen = lambda m: emit(screen=m.name, prompt=m.prompt, big=m.big, qr=m.qr)
    session.start()
    codes = sorted(ctx.procedures)

    def press(key: str) -> None:
        session.handle(d.Press(key))

    for visit in range(args.visits):
        emit(visit=visit)
        session.handle(d.Activate())
        session.handle(d.Heard(f"proc:{rng.choice(codes)}"))
        press("continue")
        while session.screen is not None and session.screen.name == "paper":
            stage = session.state.visit.stage
            if stage == "where":
                press("next")
            else:
                screen = session.screen
                yes = "button_yes" if screen.option("button_yes") is not None else "alt:0"
                press(rng.choice((yes, "button_no")))
        press(f"prio:{rng.choice(('none', 'elderly', 'disabled', 'none'))}")
        press("done")
        press(f"deliver:{rng.choice(('centre', 'post'))}")
        press("button_yes")
        press("continue")
        press("sat:satisfied")
        press("finish")
        if args.speech:
            deadline = time.monotonic() + 5
            while speaker.speaking and time.monotonic() < deadline:
                time.sleep(0.01)
    emit(done=args.visits)
    wiring.journal.close()
    speaker.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
