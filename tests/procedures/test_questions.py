"""The look-alike questions (procedures/data/questions.yaml): shipped clean, checked like the
procedure files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procedures import load_catalogue
from procedures.catalogue import QUESTIONS_FILE

from .conftest import SHIPPED


def test_every_shipped_question_tells_apart_at_least_two_procedures(shipped_catalogue):
    assert len(shipped_catalogue.questions) >= 10
    for q in shipped_catalogue.questions:
        assert len(q.codes) >= 2, q.id
        assert q.text.endswith("?") and "Ông/bà" not in q.text, q.id
        assert all(code in shipped_catalogue.procedures for code in q.codes), q.id


def test_the_issue_s_look_alikes_each_have_a_question(shipped_catalogue):
    sets = [q.codes for q in shipped_catalogue.questions]
    for pair in (
        {"1.001193", "1.004884"},  # registered already or not
        {"1.001699", "1.001653"},  # card lost, or disability worse
        {"1.014027", "1.001776"},  # 75, or 70-74 in a poor household
        {"1.011606", "1.011607"},  # yearly review, or during the year
    ):
        assert any(pair <= codes for codes in sets), pair


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue."""
    shutil.copytree(SHIPPED, tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize(
    "before, after, message",
    [
        (
            'code: "1.004884"}',
            'code: "1.999999"}',
            "'1.999999' is not a procedure of the catalogue",
        ),
        (
            "  - id: death_registered",
            "  - id: birth_registered",
            "'birth_registered' is used twice",
        ),
        ("  - id: death_registered", "  - id: Death", "'Death' is not a valid id"),
        ('    question: "Người mất đã được khai tử chưa?"\n', "", "question: is missing"),
    ],
)
def test_a_mistake_in_the_questions_is_named(folder: Path, before, after, message):
    path = folder / QUESTIONS_FILE
    text = path.read_text("utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), "utf-8")
    catalogue = load_catalogue(folder)
    errors = [str(e) for e in catalogue.errors]
    assert any(e.startswith(QUESTIONS_FILE) and message in e for e in errors), errors
    assert len(catalogue.procedures) == 39  # the procedures are not touched


def test_no_questions_file_means_no_questions_and_no_error(folder: Path):
    (folder / QUESTIONS_FILE).unlink()
    catalogue = load_catalogue(folder)
    assert catalogue.questions == () and catalogue.errors == ()
