"""Shared fixtures for the printer tests: the shipped catalogue, a case and its slip."""

from __future__ import annotations

from datetime import datetime

import pytest

from cases.case import Case, Delivery, Need, Priority, Ticket
from cases.codec import encode
from printer.slip import Slip, build_slip
from procedures.catalogue import Catalogue, load_catalogue
from procedures.model import Procedure

KEY = bytes(range(32))
CENTRE = "Trung tâm Phục vụ hành chính công xã Lạc Phượng"
PHONE = "0221 3868 123"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def birth(catalogue) -> Procedure:
    proc = catalogue.get("1.001193")
    assert proc is not None
    return proc


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


@pytest.fixture
def case(birth) -> Case:
    return birth_case(birth)


@pytest.fixture
def slip(case, birth) -> Slip:
    return build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
