"""``hotro doctor``: check every part of this terminal and explain, in plain words, what to do.

Exit code 0 when no part failed (warnings allowed), 1 when at least one did. A configuration file
that does not load is itself reported (and the other checks run on the embedded defaults).
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``hotro doctor``."""
    parser = sub.add_parser(
        "doctor",
        help="check screen, audio, microphone, voice model, printer, journal, key, disk, clock",
        description=(
            "Check each part of this terminal and explain in plain words what is wrong and what "
            "to do. Exit code 0 when no part failed, 1 otherwise."
        ),
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="configuration file (same as the global --config)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print a JSON list of {"part", "status", "summary", "advice"}',
    )
    parser.add_argument(
        "--test-slip",
        action="store_true",
        help="also print a small test slip on the configured printer",
    )
    parser.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from terminal.config import Config, ConfigError, load_config
    from terminal.doctor import exit_code, format_report, run_checks, to_json

    problem: str | None = None
    try:
        config = load_config(getattr(args, "config", None))
    except ConfigError as exc:
        config, problem = Config(), str(exc)
    results = run_checks(config, test_slip=bool(args.test_slip), config_problem=problem)
    if args.json:
        print(to_json(results))
    else:
        print(format_report(results))
    return exit_code(results)
