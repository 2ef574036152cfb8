"""The ``hotro`` command: one sub-command per task, each defined beside the package it drives.

Each module in ``terminal.commands`` has ``register(subparsers)``; it adds its sub-commands and
sets ``func`` on them. Heavy imports (Kivy, vosk, pyttsx3, escpos) happen inside the handlers, so
``hotro procedures list`` starts fast and works on a machine without a screen or a sound card.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "terminal.commands.procedures",
    "terminal.commands.voices",
    "terminal.commands.models",
    "terminal.commands.slip",
    "terminal.commands.run",
    "terminal.commands.desk",
    "terminal.commands.doctor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotro",
        description="Accessible self-service terminal for commune service centres.",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (TOML); default: $HOTRO_HOME/hotro.toml when it exists",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Vietnamese output must not crash on a console with a narrow encoding.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:  # Ctrl-C: stop with one line, not a traceback
        print("hotro: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `hotro procedures list | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
