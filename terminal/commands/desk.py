"""`hotro` sub-commands for this area (filled in by its issue)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # noqa: ARG001
    """Add this area's sub-commands."""
