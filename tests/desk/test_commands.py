"""`hotro desk`, `hotro desk passwd` and `hotro report` (terminal/commands/desk.py)."""

from __future__ import annotations

import csv
import io
import stat
from datetime import datetime
from pathlib import Path

import pytest

from cases.case import Priority
from cases.journal import Journal
from cases.keys import init_key
from desk.auth import verify_password
from terminal.cli import main
from terminal.commands.desk import set_password_hash
from terminal.config import load_config
from tests.desk.support import make_case


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    return tmp_path


def test_desk_refuses_to_start_without_a_password_and_names_the_command(home, capsys) -> None:
    assert main(["desk"]) == 2
    err = capsys.readouterr().err
    assert "no staff PIN/password" in err and "hotro desk passwd" in err


def test_desk_names_the_config_file_in_the_passwd_command(home, capsys) -> None:
    cfg = home / "centre.toml"
    cfg.write_text("[centre]\nterminal_id = \"T2\"\n", encoding="utf-8")
    assert main(["desk", "--config", str(cfg)]) == 2
    assert f"hotro desk passwd --config {cfg}" in capsys.readouterr().err


def test_passwd_stores_a_hash_and_keeps_the_rest_of_the_file(home, monkeypatch, capsys) -> None:
    cfg = home / "hotro.toml"
    cfg.write_text('# our centre\n[centre]\nname = "Xã Lạc Phượng"\n\n[desk]\nport = 8090\n',
                   encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("135790\n"))
    assert main(["desk", "passwd", "--stdin"]) == 0
    text = cfg.read_text(encoding="utf-8")
    assert "# our centre" in text and "135790" not in text
    loaded = load_config(cfg)
    assert loaded.centre.name == "Xã Lạc Phượng" and loaded.desk.port == 8090
    assert verify_password("135790", loaded.desk.password_hash)


def test_passwd_writes_a_new_configuration_readable_only_by_its_owner(
    home, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("135790\n"))
    assert main(["desk", "passwd", "--stdin"]) == 0
    assert stat.S_IMODE((home / "hotro.toml").stat().st_mode) == 0o600


def test_passwd_takes_the_rights_of_others_away_and_keeps_the_group(home, monkeypatch) -> None:
    """The installer makes /etc/hotro/hotro.toml 0640 root:hotro: the service must still read
    it after a password change; a file readable by everyone loses that."""
    cfg = home / "hotro.toml"
    for before, after in ((0o640, 0o640), (0o644, 0o640), (0o666, 0o660), (0o600, 0o600)):
        cfg.write_text("[desk]\nport = 8090\n", encoding="utf-8")
        cfg.chmod(before)
        monkeypatch.setattr("sys.stdin", io.StringIO("135790\n"))
        assert main(["desk", "passwd", "--stdin"]) == 0
        assert stat.S_IMODE(cfg.stat().st_mode) == after, oct(before)
    assert not list(home.glob(".hotro.toml.*"))  # no temporary file left


def test_passwd_refuses_a_short_pin(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["desk", "passwd", "--stdin"]) == 2
    assert "at least 4" in capsys.readouterr().err
    assert not (home / "hotro.toml").exists()


def test_set_password_hash_replaces_an_old_hash() -> None:
    text = '[desk]\npassword_hash = "old"\nport = 1\n[voice]\npassword_hash_note = 1\n'
    assert set_password_hash(text, "new") == (
        '[desk]\npassword_hash = "new"\nport = 1\n[voice]\npassword_hash_note = 1\n'
    )


def test_set_password_hash_adds_a_desk_section() -> None:
    assert set_password_hash("", "h") == '[desk]\npassword_hash = "h"\n'
    assert set_password_hash('[centre]\nname = "x"\n', "h") == (
        '[centre]\nname = "x"\n\n[desk]\npassword_hash = "h"\n'
    )


def test_desk_refuses_to_start_without_the_centre_key(home, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("246810\n"))
    main(["desk", "passwd", "--stdin"])
    assert main(["desk"]) == 2
    assert "hotro keys init" in capsys.readouterr().err


def test_report_writes_exact_figures(home, capsys) -> None:
    key = init_key(home / "centre.key")
    del key
    with Journal(home / "journal.sqlite3") as j:
        for n, prio in ((1, Priority.ELDERLY), (2, Priority.NONE), (3, Priority.NONE)):
            case = make_case(n, prio, created=datetime(2026, 11, 5, 8, n))
            j.record_case(case, f"P{n}")
        j.record_case(make_case(9, created=datetime(2026, 10, 30, 8, 0)), "OCT")
    out = home / "reports"
    assert main(["report", "--month", "2026-11", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 residents helped" in printed
    rows = list(csv.reader((out / "report-2026-11.csv").read_text("utf-8-sig").splitlines()))
    figures = {(r[1], r[2]): r[4] for r in rows[1:]}
    assert figures[("total", "residents")] == "3"
    assert figures[("priority", "elderly")] == "1" and figures[("priority", "none")] == "2"
    assert figures[("group", "ho_tich")] == "3"
    assert (out / "report-2026-11.png").stat().st_size > 10_000
    assert "hỗ trợ 3 lượt người dân" in (out / "report-2026-11.html").read_text("utf-8")


def test_report_refuses_a_bad_month(home, capsys) -> None:
    assert main(["report", "--month", "11/2026"]) == 2
    assert "expected YYYY-MM" in capsys.readouterr().err


def test_report_without_a_journal_says_so(home, capsys) -> None:
    assert main(["report", "--month", "2026-11"]) == 2
    assert "there is no journal" in capsys.readouterr().err
