"""Shared fixtures for the printer tests: the shipped catalogue, a case and its slip."""

from __future__ import annotations

import pytest

from cases.case import Case
from cases.codec import encode
from printer.slip import Slip, build_slip
from procedures.catalogue import Catalogue, load_catalogue
from procedures.model import Procedure
from tests.printer.helpers import CENTRE, KEY, PHONE, birth_case


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def birth(catalogue) -> Procedure:
    proc = catalogue.get("1.001193")
    assert proc is not None
    return proc


@pytest.fixture
def case(birth) -> Case:
    return birth_case(birth)


@pytest.fixture
def slip(case, birth) -> Slip:
    return build_slip(case, birth, CENTRE, PHONE, encode(case, KEY))
