"""The everyday-language files: shipped clean, and every problem named by file, field and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procedures.everyday import EVERYDAY_FILES, default_everyday_directory, load_everyday
from procedures.normalize import Lexicon, normalize


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped everyday-language folder."""
    for name in EVERYDAY_FILES:
        shutil.copy(default_everyday_directory() / name, tmp_path / name)
    return tmp_path


def _errors(folder: Path) -> list[str]:
    return [f"{e} (line {e.line})" for e in load_everyday(folder).errors]


def test_the_shipped_files_load_without_errors():
    everyday = load_everyday()
    assert everyday.errors == ()
    assert len(everyday.variants) > 50 and len(everyday.referrals) >= 18
    assert all(r.text and r.text_en and r.words for r in everyday.referrals)


def test_an_editor_adds_a_word_and_the_matcher_reads_it(folder: Path):
    path = folder / "variants.yaml"
    added = "variants:\n  - {official: khai sinh, everyday: [làm giấy chào đời]}\n"
    path.write_text(path.read_text("utf-8").replace("variants:\n", added, 1), "utf-8")
    everyday = load_everyday(folder)
    assert everyday.errors == ()
    lex = Lexicon(everyday)
    assert normalize("làm giấy chào đời", folded=False, lex=lex) == "khai sinh"


@pytest.mark.parametrize(
    "file, before, after, message",
    [
        (
            "variants.yaml",
            "- {official: sinh, unaccented: yes, everyday: [sanh]}",
            "- {official: sinh, unaccented: maybe, everyday: [sanh]}",
            "variants[1].unaccented: is a text ('maybe'); expected yes or no",
        ),
        (
            "variants.yaml",
            "- {official: sinh, unaccented: yes, everyday: [sanh]}",
            "- {official: sinh, unaccented: yes, everyday: [Sanh]}",
            "variants[1].everyday[1]: 'Sanh' has capital letters; expected lower case: 'sanh'",
        ),
        (
            "variants.yaml",
            "- {official: sinh, unaccented: yes, everyday: [sanh]}",
            "- {official: sinh, unaccented: yes}",
            "variants[1].everyday: is missing; expected a everyday field",
        ),
        (
            "fillers.yaml",
            "keep_unaccented: [dang,",
            "keep_unaccented: [đang,",
            "keep_unaccented[1]: 'đang' has accents; expected the word without accents",
        ),
        (
            "referrals.yaml",
            "  - id: passport\n",
            "  - id: id_card\n",
            "referrals[2].id: 'id_card' is used twice; expected each id once",
        ),
        (
            "referrals.yaml",
            "  - id: passport\n",
            "  - id: Passport\n",
            "referrals[2].id: 'Passport' has capital letters",
        ),
        (
            "referrals.yaml",
            "    name: Hộ chiếu\n",
            "    name: Hộ chiếu\n    where: công an\n",
            "referrals[2].where: is not a known field",
        ),
        (
            "focus.yaml",
            "request:\n  - muốn\n",
            "request:\n  - Muốn\n",
            "request[1]: 'Muốn' has capital letters",
        ),
        (
            "focus.yaml",
            "negation:\n",
            "negations:\n",
            "negations: is not a known field",
        ),
    ],
)
def test_a_mistake_is_named_by_file_field_and_line(folder, file, before, after, message):
    path = folder / file
    text = path.read_text("utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), "utf-8")
    errors = _errors(folder)
    assert any(e.startswith(f"{file}: {message}") for e in errors), errors
    assert all("(line None)" not in e for e in errors if e.startswith(file))


def test_text_not_in_nfc_form_is_an_error(folder: Path):
    import unicodedata

    path = folder / "referrals.yaml"
    text = path.read_text("utf-8")
    decomposed = unicodedata.normalize("NFD", "Hộ chiếu")
    path.write_text(text.replace("name: Hộ chiếu", f"name: {decomposed}", 1), "utf-8")
    assert any("is not in NFC form" in e for e in _errors(folder))


def test_a_broken_or_missing_file_is_one_error_and_the_others_still_load(folder: Path):
    (folder / "fillers.yaml").write_text("fillers: [ạ, ơi\n", "utf-8")
    (folder / "referrals.yaml").unlink()
    everyday = load_everyday(folder)
    messages = [str(e) for e in everyday.errors]
    assert any(m.startswith("fillers.yaml: is not valid YAML at line") for m in messages)
    assert any(m.startswith("referrals.yaml: the file is missing") for m in messages)
    assert everyday.variants  # the good file still counts


def test_hotro_procedures_check_reports_the_everyday_files_too(capsys):
    from terminal.cli import main

    assert main(["procedures", "check"]) == 0
    assert "39 procedures OK" in capsys.readouterr().out


def test_the_package_ships_the_everyday_files():
    """A non-editable install (the kiosk's) must carry the data files, or matching goes blind."""
    import tomllib

    root = default_everyday_directory().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["procedures"]
    package = root / "procedures"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    for name in (*EVERYDAY_FILES, "data/questions.yaml", "data/services.yaml"):
        path = default_everyday_directory() / name if "/" not in name else package / name
        assert path in shipped, f"{path} is not in the package data {patterns}"
