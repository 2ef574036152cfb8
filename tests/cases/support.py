"""Helpers shared by the cases tests."""

from __future__ import annotations

from datetime import datetime


class Clock:
    """A journal's clock that a test sets."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, moment: datetime) -> Clock:
        self.now = moment
        return self
