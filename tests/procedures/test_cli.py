"""`hotro procedures ...`: list, show, check, search (in process) and one run of the installed
script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from terminal.cli import main

from .conftest import MODEL


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path / "home"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["procedures", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_prints_a_table_of_every_procedure(capsys, shipped_catalogue):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["CODE", "GROUP", "SHORT", "NAME"]
    assert len(lines) == len(shipped_catalogue.procedures) + 2
    assert any(line.startswith("1.001193") and "Đăng ký khai sinh" in line for line in lines)
    assert lines[-1] == f"{len(shipped_catalogue.procedures)} procedures"


def test_list_marks_police_referrals(capsys):
    _, out, _ = run(capsys, "list")
    line = next(x for x in out.splitlines() if x.startswith("1.004222"))
    assert "(công an xã)" in line


def test_show_prints_every_field(capsys, shipped_catalogue):
    code, out, _ = run(capsys, "show", "1.001193")
    proc = shipped_catalogue.get("1.001193")
    assert code == 0
    for text in (
        proc.name,
        proc.summary,
        proc.fee,
        proc.time,
        proc.result,
        proc.checked,
        *(p.short for p in proc.papers),
        *proc.legal_basis,
        *proc.phrases,
    ):
        assert text in out


def test_show_accepts_the_file_slug(capsys):
    code, out, _ = run(capsys, "show", "dang-ky-khai-sinh.yaml")
    assert code == 0
    assert out.startswith("1.001193  Đăng ký khai sinh")


def test_show_json_gives_every_field_and_the_pictures_of_the_procedure_and_its_papers(
    capsys, shipped_catalogue
):
    from procedures import default_directory

    code, out, _ = run(capsys, "show", "1.001193", "--json")
    assert code == 0
    data = json.loads(out)
    proc = shipped_catalogue.get("1.001193")
    assert (data["code"], data["short_name"], data["file"]) == (
        "1.001193", "Đăng ký khai sinh", "dang-ky-khai-sinh.yaml",
    )  # fmt: skip
    assert (data["icon"], data["icon_meaning"]) == ("icons/baby.png", "procedure/1.001193")
    assert [p["id"] for p in data["papers"]] == [p.id for p in proc.papers]
    assert [p["name"] for p in data["papers"]] == [p.short for p in proc.papers]
    assert data["papers"][0]["icon"] == "icons/form.png"
    identity = next(p for p in data["papers"] if p["id"] == "giay-to-tuy-than")
    assert identity["icon"] == "icons/id-card.png"
    assert [a["icon"] for a in identity["alternatives"]] == [
        "icons/id-card.png", "icons/phone-id.png", "icons/passport.png", "icons/id-number.png",
    ]  # fmt: skip
    package = default_directory().parent  # the procedures package
    pictures = [data["icon"], *(p["icon"] for p in data["papers"])]
    assert all((package / path).is_file() for path in pictures)
    assert data["fee"] == proc.fee and data["submit"] == ["centre", "post", "portal", "vneid"]
    # the text output stays as it was
    assert run(capsys, "show", "1.001193")[1].startswith("1.001193  Đăng ký khai sinh\n")


def test_show_json_of_a_service(capsys):
    code, out, _ = run(capsys, "show", "read_aloud", "--json")
    data = json.loads(out)
    assert (code, data["id"], data["kind"]) == (0, "read_aloud", "service")
    assert (data["icon"], data["icon_meaning"]) == ("icons/speaking.png", "service/read_aloud")


def test_show_unknown_code_exits_1_with_a_message(capsys):
    code, out, err = run(capsys, "show", "9.999999")
    assert code == 1
    assert out == ""
    assert "no procedure with code or file name '9.999999'" in err


def test_check_shipped_catalogue_says_ok(capsys, shipped_catalogue):
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out == (
        f"{len(shipped_catalogue.procedures)} procedures OK\n"
        f"{len(shipped_catalogue.services)} services OK\n"
    )


def test_check_broken_copy_exits_1_listing_every_error(capsys, folder, write, model):
    model["papers"][1]["need"] = "maybe"
    model["group"] = "nowhere"
    write(model)
    write("code: [", name="zz-broken")
    code, out, _ = run(capsys, "check", str(folder))
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith(
            "dang-ky-khai-sinh.yaml: papers[2].need: 'maybe' is not allowed; "
            "expected always, sometimes or on_request (line "
        )
        for line in lines
    )
    assert any(line.startswith("dang-ky-khai-sinh.yaml: group: 'nowhere'") for line in lines)
    assert any(line.startswith("zz-broken.yaml: is not valid YAML at line ") for line in lines)
    assert lines[-1] == "3 error(s) in 2 file(s); 0 procedures loaded"


def test_check_valid_copy_exits_0(capsys, folder, write, model):
    write(model)
    assert run(capsys, "check", str(folder))[:2] == (0, "1 procedures OK\n")


def test_search_prints_verdict_and_numbered_candidates(capsys):
    code, out, _ = run(capsys, "search", "lam", "so", "do", "lan", "dau")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "verdict: match"
    assert lines[1].startswith("  1. 1.013978  ")


def test_search_none_says_so(capsys):
    code, out, _ = run(capsys, "search", "đóng tiền điện")
    assert code == 0
    assert out.splitlines()[0] == "verdict: none"


def test_search_json_answer_shape(capsys):
    code, out, _ = run(capsys, "search", "--json", "làm giấy khai sinh cho con")
    assert code == 0
    answer = json.loads(out)
    assert list(answer) == ["query", "verdict", "matches"]
    assert answer["query"] == "làm giấy khai sinh cho con"
    assert answer["verdict"] == "match"
    assert answer["matches"][0]["code"] == "1.001193"
    # issue 12's fields, then issue 18's kind
    assert list(answer["matches"][0]) == ["code", "name", "score", "kind"]
    assert answer["matches"][0]["kind"] == "procedure"
    assert "Đăng ký khai sinh" in out  # ensure_ascii=False: Vietnamese as is


def test_search_top_limits_the_offer(capsys):
    _, out, _ = run(capsys, "search", "--json", "--top", "2", "khai tử")
    assert len(json.loads(out)["matches"]) <= 2


def test_search_stdin_writes_one_json_object_per_line(capsys, monkeypatch):
    queries = ["lam so do lan dau", "", "làm hộ chiếu để đi nước ngoài", "khai tử"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(queries) + "\n"))
    code, out, _ = run(capsys, "search", "--stdin")
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["query"] for a in answers] == [q for q in queries if q]
    assert answers[0]["verdict"] == "match" and answers[0]["matches"][0]["code"] == "1.013978"
    # every field of before, with the same values; a none done elsewhere adds its referral
    assert {k: v for k, v in answers[1].items() if k != "referral"} == {
        "query": queries[2],
        "verdict": "none",
        "matches": [],
    }
    assert answers[1]["referral"]["id"] == "passport"
    for a in answers:
        scores = [m["score"] for m in a["matches"]]
        assert scores == sorted(scores, reverse=True)


def test_search_without_text_or_stdin_exits_2(capsys):
    code, _, err = run(capsys, "search")
    assert code == 2
    assert "TEXT" in err


def test_search_on_a_broken_catalogue_warns_but_answers(capsys, folder, write, model):
    write(model)
    write("code: [", name="zz-broken")
    code, out, err = run(capsys, "search", "--dir", str(folder), "--json", "khai sinh cho con")
    assert code == 0
    assert json.loads(out)["matches"][0]["code"] == "1.001193"
    assert "1 catalogue error(s)" in err
    assert MODEL


@pytest.mark.real
def test_installed_hotro_script_answers_json_lines(tmp_path):
    """Starts the installed `hotro` console script (a real subprocess) with --stdin."""
    exe = Path(sys.executable).with_name("hotro")
    script = str(exe) if exe.exists() else shutil.which("hotro")
    assert script, "the hotro script is not installed (pip install -e .)"
    proc = subprocess.run(
        [script, "procedures", "search", "--stdin", "--json"],
        input="con gái tôi mới sinh, giờ làm giấy tờ cho cháu thế nào\nđóng tiền điện\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={"HOTRO_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["verdict"] == "match" and first["matches"][0]["code"] == "1.001193"
    assert {k: v for k, v in second.items() if k != "referral"} == {
        "query": "đóng tiền điện",
        "verdict": "none",
        "matches": [],
    }


def test_search_json_adds_the_referral_to_a_none_and_keeps_every_field(capsys):
    code, out, _ = run(capsys, "search", "--json", "làm hộ chiếu đi Hàn Quốc")
    assert code == 0
    answer = json.loads(out)
    assert list(answer) == ["query", "verdict", "matches", "referral"]
    assert answer["verdict"] == "none" and answer["matches"] == []
    assert answer["referral"]["id"] == "passport"
    assert "Công an tỉnh" in answer["referral"]["text"]
    code, out, _ = run(capsys, "search", "--json", "đóng tiền điện")
    assert json.loads(out)["referral"]["id"] == "electricity_water"
    code, out, _ = run(capsys, "search", "--json", "lam so do lan dau")
    assert list(json.loads(out)) == ["query", "verdict", "matches"]  # no referral on a match


def test_show_sources_lists_for_each_fact_its_sources_dates_and_what_is_unsure(capsys):
    from procedures.model import FACTS

    code, out, _ = run(capsys, "show", "1.001193", "--sources")
    assert code == 0
    blocks = {b.split(":", 1)[0]: b for b in out.split("\n\n")[1:]}
    assert set(FACTS) <= set(blocks)
    time = blocks["time"].splitlines()
    assert time[0].startswith("time: Cán bộ sẽ hẹn giờ trả kết quả.")
    assert time[1] == (
        '  UNSURE: Cổng Dịch vụ công quốc gia chỉ ghi số "1", không ghi đơn vị.'
    )
    assert any(
        line.startswith("  - https://dichvucong.gov.vn/") and "(checked 20" in line
        for line in time
    )
    assert "mã hiện hành cấp xã tại Hải Phòng" in blocks["code"]
    assert "(no source names this fact)" not in out


def test_show_sources_marks_an_unsure_paper_and_a_fact_no_source_names(capsys):
    code, out, _ = run(capsys, "show", "lien-thong-khai-sinh-tre-duoi-6-tuoi",
                       "--sources")
    assert code == 0
    assert "  UNSURE (giay-chung-sinh): Suy ra từ thủ tục khai sinh" in out
    fee = next(b for b in out.split("\n\n") if b.startswith("fee:"))
    assert fee.splitlines()[1:] == ["  UNSURE: Lệ phí chưa xác minh.",
                                    "  (no source names this fact)"]
