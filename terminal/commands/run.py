"""``hotro run``: the terminal (Kivy window, or ``--text`` in a text terminal)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``hotro run``."""
    p = sub.add_parser(
        "run",
        help="start the terminal (fullscreen; --windowed for development; --text for a console)",
        description="Start the self-service terminal. With no configuration file it runs on the "
        "embedded defaults: PNG slips in $HOTRO_HOME/slips, voice input off until a model is "
        "installed.",
    )
    p.add_argument(
        "--config", metavar="FILE", default=argparse.SUPPRESS, help="configuration file (TOML)"
    )
    p.add_argument("--windowed", action="store_true", help="a window instead of fullscreen")
    p.add_argument("--text", action="store_true", help="run the dialogue in this terminal")
    p.add_argument(
        "--speak", action="store_true", help="with --text: also play the speech aloud"
    )
    p.add_argument(
        "--no-speech", action="store_true", help="do not start speech output (screen only)"
    )
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from terminal.commands import config_from

    config = config_from(args)
    if args.text:
        return _run_text(config, speak=args.speak)
    from terminal.app import run_app

    return run_app(config, windowed=args.windowed, speech=not args.no_speech)


def _run_text(config, speak: bool) -> int:  # noqa: ANN001
    import logging

    from terminal.session import Ports, Session
    from terminal.textmode import TextSpeaker, run_text
    from terminal.wiring import JournalPopularity, UnavailablePart, build_context, build_ports

    logging.basicConfig(level=logging.WARNING, format="hotro: %(message)s")
    wiring = build_ports(config, speech=speak, listen=False)
    for note in wiring.notes:
        print(f"hotro: {note}", file=sys.stderr)
    journal_ok = not isinstance(wiring.journal, UnavailablePart)
    popularity = JournalPopularity(wiring.journal) if journal_ok else None
    ctx = build_context(config, voice_input=False, popularity=popularity)

    class _Clock:
        def now(self) -> float:
            import time

            return time.monotonic()

    def factory(show, speaker: TextSpeaker):  # noqa: ANN001, ANN202
        if speak:
            speaker.also = wiring.speaker
        ports = Ports(
            speaker=speaker,
            journal=wiring.journal,
            printer=wiring.printer,
            clock=_Clock(),
            encode=wiring.encode,
        )
        return Session(ctx, ports, terminal_id=config.centre.terminal_id, on_screen=show)

    from terminal.status import status_report

    try:
        code = run_text(factory, status=lambda: status_report(config))
        return 1 if wiring.broken else code  # the session ran, but could print nothing
    finally:
        wiring.journal.close()
