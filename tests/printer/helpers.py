"""Shared test data for the printer tests: the centre, a key and a birth-registration case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PIL import Image

from cases.case import Case, Delivery, Need, Priority, Ticket
from procedures.model import Procedure

KEY = bytes(range(32))
CENTRE = "Trung tâm Phục vụ hành chính công xã Lạc Phượng"
PHONE = "0221 3868 123"


def birth_case(procedure: Procedure, **changes) -> Case:
    have = tuple(i in (0, 2, 4, 5) for i in range(len(procedure.papers)))
    values = dict(
        terminal_id="T1",
        ticket=Ticket(12, True),
        procedure_code=procedure.code,
        have=have,
        priority=Priority.ELDERLY,
        needs=frozenset({Need.LOW_VISION}),
        delivery=Delivery.CENTRE,
        created=datetime(2026, 11, 23, 9, 41, 7),
    )
    values.update(changes)
    return Case(**values)


def load_png(path: str | Path) -> Image.Image:
    """An image file read fully and closed again."""
    with Image.open(path) as image:
        image.load()
        return image.copy()
