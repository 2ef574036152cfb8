"""`hotro keys init`, `hotro print` and `hotro handoff decode`, with a real SQLite journal."""

from __future__ import annotations

import json
import socket

import pytest
import zxingcpp

from cases.journal import Journal
from cases.keys import load_key
from terminal.cli import main
from terminal.config import load_config
from tests.printer.helpers import load_png


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_keys_init_creates_the_key_and_refuses_to_overwrite(home, capsys):
    code, out, _ = run(capsys, "keys", "init")
    assert code == 0 and "centre.key" in out
    key = load_key(home / "centre.key")
    code, _, err = run(capsys, "keys", "init")
    assert code == 2 and "already exists" in err
    assert load_key(home / "centre.key") == key
    assert run(capsys, "keys", "init", "--force")[0] == 0
    assert load_key(home / "centre.key") != key


def test_print_on_a_fresh_machine_creates_the_key_and_writes_a_png(home, tmp_path, capsys):
    code, out, err = run(
        capsys, "print", "--procedure", "1.001193", "--printer", f"png:{tmp_path}/slips"
    )
    assert code == 0, err
    payload, preview_line = out.splitlines()[:2]
    assert payload.startswith("H1-T1-A101-1.001193-")
    assert "created a new centre key" in err
    preview = preview_line.removeprefix("preview: ")
    image = load_png(preview)
    assert image.width == 576  # default paper: 80 mm
    assert [r.text for r in zxingcpp.read_barcodes(image.convert("L"))] == [payload]


def test_print_records_the_case_and_the_print_in_the_journal(home, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "print",
        "--procedure",
        "1.001193",
        "--have",
        "1,3",
        "--priority",
        "elderly",
        "--paper",
        "58",
        "--printer",
        f"png:{tmp_path}",
        "--json",
    )
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["ticket"] == "U-101"
    journal = Journal(load_config().journal_path)
    try:
        row = journal.case_by_payload(result["payload"])
        assert row is not None and row.id == result["case_id"]
        assert row.have == (True, False, True, False, False, False, False)
        assert row.priority == "elderly"
        printed = journal.events_of(row.id, "printed")
        assert [(e.ok, e.detail) for e in printed] == [(True, "")]
    finally:
        journal.close()
    assert load_png(result["preview"]).width == 384


def test_ticket_numbers_continue_across_runs(home, tmp_path, capsys):
    labels = []
    for _ in range(3):
        _, out, _ = run(
            capsys, "print", "--procedure", "1.001193", "--printer", f"png:{tmp_path}", "--json"
        )
        labels.append(json.loads(out)["ticket"])
    assert labels == ["A-101", "A-102", "A-103"]  # terminal 1 of the centre


def test_failed_print_keeps_the_case_and_saves_a_copy(home, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run(
        capsys,
        "print",
        "--procedure",
        "1.001193",
        "--printer",
        f"tcp:127.0.0.1:{port}",
        "--json",
    )
    result = json.loads(out)
    assert code == 1 and result["problem"] == "unreachable"
    assert result["preview"] and (home / "slips").is_dir()
    journal = Journal(load_config().journal_path)
    try:
        row = journal.case_by_payload(result["payload"])
        assert row is not None
        assert [(e.ok, e.detail) for e in journal.events_of(row.id, "printed")] == [
            (False, "unreachable")
        ]
    finally:
        journal.close()


def test_handoff_decode_shows_the_case(home, tmp_path, capsys):
    _, out, _ = run(
        capsys, "print", "--procedure", "1.001193", "--have", "2", "--printer", f"png:{tmp_path}"
    )
    payload = out.splitlines()[0]
    code, out, _ = run(capsys, "handoff", "decode", payload)
    assert code == 0
    assert "1.001193 Đăng ký khai sinh" in out
    assert "[x] Giấy tờ về việc sinh" in out and "[ ] Tờ khai khai sinh" in out
    code, out, _ = run(capsys, "handoff", "decode", payload.lower(), "--json")
    data = json.loads(out)
    assert code == 0 and data["case"]["have"][1] is True
    assert data["case"]["procedure_name"] == "Đăng ký khai sinh"


def test_print_and_decode_carry_the_alternative_the_resident_has(home, tmp_path, capsys):
    _, out, _ = run(
        capsys, "print", "--procedure", "1.001193", "--have", "1,3:2", "--printer",
        f"png:{tmp_path}",
    )
    payload = out.splitlines()[0]
    code, out, _ = run(capsys, "handoff", "decode", payload)
    assert code == 0 and "[x] Giấy tờ tùy thân: Tài khoản VNeID mức 2" in out
    code, out, _ = run(capsys, "handoff", "decode", payload, "--json")
    assert json.loads(out)["case"]["chosen"] == {"2": 1}


@pytest.mark.parametrize(
    ("have", "message"),
    [("3:9", "alternatives 1..4"), ("1:1", "no alternatives"), ("3:x", "alternatives 1..4")],
)
def test_print_refuses_an_alternative_the_paper_does_not_have(home, capsys, have, message):
    code, _, err = run(capsys, "print", "--procedure", "1.001193", "--have", have)
    assert code == 2 and message in err


def test_handoff_decode_refuses_a_changed_payload_with_the_reason(home, tmp_path, capsys):
    _, out, _ = run(capsys, "print", "--procedure", "1.001193", "--printer", f"png:{tmp_path}")
    payload = out.splitlines()[0]
    forged = payload.replace("-A101-", "-U101-")
    assert forged != payload
    code, _, err = run(capsys, "handoff", "decode", forged)
    assert code == 1 and "refused (tag)" in err
    code, out, _ = run(capsys, "handoff", "decode", "nonsense", "--json")
    assert code == 1 and json.loads(out)["reason"] == "malformed"


def test_handoff_decode_without_a_key_says_how_to_get_one(home, capsys):
    code, _, err = run(capsys, "handoff", "decode", "H1-X")
    assert code == 2 and "hotro keys init" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--procedure", "9.999999"], "no procedure"),
        (["--procedure", "1.001193", "--have", "9"], "paper number"),
        (["--procedure", "1.001193", "--needs", "jetpack"], "not one of"),
    ],
)
def test_print_refuses_bad_options(home, capsys, args, message):
    code, _, err = run(capsys, "print", *args)
    assert code == 2 and message in err


def test_handoff_decode_shows_a_service_case(home, capsys):
    """Issue 18: a feedback slip's payload names the service and the topic, never a number."""
    from cases.case import Case, Ticket
    from cases.codec import encode
    from cases.keys import init_key
    from procedures.catalogue import load_catalogue

    key = init_key(load_config().key_path)
    case = Case("T2", Ticket(201, False), "", (), service="feedback", topic="staff_attitude",
                call_back=True)
    payload = encode(case, key, load_catalogue())
    code, out, _ = run(capsys, "handoff", "decode", payload)
    assert code == 0
    assert "Service    feedback Góp ý, phản ánh" in out
    assert "Feedback   about staff attitude, an officer is to call back" in out
    assert "Papers" not in out and "Result" not in out
    code, out, _ = run(capsys, "handoff", "decode", payload, "--json")
    data = json.loads(out)["case"]
    assert (data["service"], data["topic"], data["call_back"]) == ("feedback", "staff_attitude",
                                                                   True)
    assert data["service_name"] == "Góp ý, phản ánh" and "procedure_name" not in data
