"""Sub-commands of ``hotro``; each module registers its own (see ``terminal.cli``)."""

from __future__ import annotations

import argparse
import sys

from terminal.config import Config, ConfigError, load_config


def config_from(args: argparse.Namespace) -> Config:
    """Load the configuration named by ``--config`` (global or sub-command); exit 2 on errors."""
    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        print(f"hotro: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
