"""Fixtures: a small valid catalogue folder in tmp_path that each test can break one way."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from procedures import default_directory, load_catalogue

SHIPPED = default_directory()
MODEL = "dang-ky-khai-sinh"


def _read(name: str) -> Any:
    return yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))


def dump(data: Any) -> str:
    """YAML text as an editor would write it (UTF-8, no escapes)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def model() -> dict[str, Any]:
    """A deep copy of the shipped model procedure file, as data."""
    return copy.deepcopy(_read(f"{MODEL}.yaml"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A catalogue folder holding the shipped groups.yaml and papers.yaml only."""
    for name in ("groups.yaml", "papers.yaml"):
        (tmp_path / name).write_text((SHIPPED / name).read_text(encoding="utf-8"), "utf-8")
    return tmp_path


@pytest.fixture
def paper_list() -> dict[str, Any]:
    """A deep copy of the shipped papers.yaml, as data."""
    return copy.deepcopy(_read("papers.yaml"))


@pytest.fixture
def write(folder: Path) -> Callable[..., Path]:
    """write(data_or_text, name="dang-ky-khai-sinh") puts one procedure file in the folder."""

    def _write(content: Any, name: str = MODEL, suffix: str = ".yaml") -> Path:
        path = folder / f"{name}{suffix}"
        text = content if isinstance(content, str) else dump(content)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def shipped_catalogue():  # type: ignore[no-untyped-def]
    """The shipped catalogue, loaded once."""
    return load_catalogue()
