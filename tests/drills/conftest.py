"""Fixtures for the fault drills: a temp ``HOTRO_HOME`` for every test, and the emupos printer
simulator fixture reused from the printer tests (one emupos per session)."""

from __future__ import annotations

import pytest

from tests.printer.test_emupos import Emupos, emupos  # noqa: F401 - a fixture, used by name


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOTRO_HOME", str(home))
    return home


@pytest.fixture
def home(_home):
    return _home
