"""Content checks over the shipped catalogue, and over copies with one fault of each kind.

The speech checks read every text through the real Vietnamese speech reader
(``voices.reading.speakable``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from procedures import default_directory, load_catalogue
from procedures.content import (
    KINDS,
    check_content,
    load_rules,
    sentences,
    syllables,
)
from voices.reading import speakable

from .conftest import dump


def findings_of(folder: Path | None = None):
    catalogue = load_catalogue(folder)
    assert catalogue.errors == ()
    return check_content(catalogue, reader=speakable)


def test_the_shipped_catalogue_passes_every_content_check():
    assert [str(f.error) for f in findings_of()] == []


def test_the_shipped_rules_file_reads_without_errors():
    rules, errors = load_rules()
    assert errors == ()
    assert rules.max_syllables == 25
    assert "trích lục" in rules.terms and rules.english["photo"] == "phô tô"
    assert len(rules.terms) >= 12


def test_syllables_are_words_between_spaces():
    assert syllables("Miễn phí, 8.000 đồng một bản.") == 6
    assert syllables("– ; ,") == 0


def test_sentences_split_after_full_stops_but_not_inside_numbers():
    assert sentences("Lệ phí 8.000 đồng. Nộp tại xã; nhận ngay! Hỏi cán bộ?") == [
        "Lệ phí 8.000 đồng.",
        "Nộp tại xã;",
        "nhận ngay!",
        "Hỏi cán bộ?",
    ]


# --- a copy of the shipped catalogue with one fault ---------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(default_directory(), folder)
    return folder


def edit(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def only(folder: Path, kind: str):
    found = findings_of(folder)
    assert [f.kind for f in found] == [kind], [str(f.error) for f in found]
    err = found[0].error
    assert err.line is not None and err.line > 1
    return err


def test_a_sentence_over_25_syllables_is_named_with_file_and_field(copy):
    long = ("Cha hoặc mẹ của bé đi làm giấy khai sinh cho bé tại Trung tâm Phục vụ hành chính "
            "công của xã nơi cả nhà đang ở hay nơi bé sinh ra.")
    assert syllables(long) > 25
    edit(copy, "dang-ky-khai-sinh.yaml", lambda d: d.update(summary=d["summary"] + " " + long))
    err = only(copy, "long_sentence")
    assert (err.file, err.field) == ("dang-ky-khai-sinh.yaml", "summary")
    assert "syllables" in err.problem and "25" in err.expected


def test_an_unexplained_legal_term_is_named_with_file_and_field(copy):
    edit(copy, "dang-ky-khai-sinh.yaml",
         lambda d: d.update(who=d["who"] + " Mang theo trích lục cũ nếu có."))
    err = only(copy, "unexplained_term")
    assert (err.file, err.field) == ("dang-ky-khai-sinh.yaml", "who")
    assert "'trích lục' is not explained" in err.problem


def test_a_legal_term_explained_in_the_same_text_passes(copy):
    edit(copy, "dang-ky-khai-sinh.yaml", lambda d: d.update(
        who=d["who"] + " Mang theo trích lục cũ, là giấy xã cấp khi đăng ký, nếu có."))
    assert findings_of(copy) == ()


def test_an_abbreviation_is_named_with_file_and_field(copy):
    edit(copy, "papers.yaml", lambda d: d["papers"]["can-cuoc"].update(
        explain="Thẻ CCCD, hay thẻ căn cước mới, còn hạn."))
    err = only(copy, "unexplained_term")
    assert (err.file, err.field) == ("papers.yaml", "papers.can-cuoc.explain")
    assert "'CCCD' is an abbreviation" in err.problem and "căn cước công dân" in err.expected


def test_a_paper_name_that_does_not_read_in_the_question_is_named(copy):
    edit(copy, "papers.yaml",
         lambda d: d["papers"]["trich-luc-ghi-chu-ly-hon"].update(name="Đã ghi chú ly hôn"))
    err = only(copy, "paper_name")
    assert (err.file, err.field) == ("papers.yaml", "papers.trich-luc-ghi-chu-ly-hon.name")
    assert "Ông/bà đã có đã ghi chú ly hôn chưa?" in err.problem


def test_the_same_paper_under_two_names_fails_the_check(copy, capsys):
    # a second entry for the identity paper, written with the old tone mark: the loader refuses
    edit(copy, "papers.yaml", lambda d: d["papers"].update(
        {"giay-to-tuy-than-2": dict(d["papers"]["can-cuoc"], name="Giấy tờ tuỳ thân")}))
    errors = load_catalogue(copy).errors
    assert [(e.file, e.field) for e in errors] == [
        ("papers.yaml", "papers.giay-to-tuy-than-2.name")
    ]
    assert "is also the name of giay-to-tuy-than" in errors[0].problem


def test_a_paper_named_again_inside_a_procedure_fails_the_check(copy):
    edit(copy, "dang-ky-ket-hon.yaml", lambda d: d["papers"].__setitem__(
        2, {"short": "Đã ghi chú ly hôn", "explain": "...", "need": "always",
            "where_to_get": "..."}))
    errors = [e for e in load_catalogue(copy).errors if e.file == "dang-ky-ket-hon.yaml"]
    assert [e.field for e in errors] == ["papers[3]"]
    assert "papers.yaml" in errors[0].expected


def test_an_unsure_fact_stated_as_certain_is_named(copy):
    edit(copy, "dang-ky-khai-sinh.yaml", lambda d: d.update(
        time="Thường xong trong ngày. Nộp sau 3 giờ chiều thì nhận vào ngày làm việc hôm sau."))
    err = only(copy, "unsure_fact")
    assert (err.file, err.field) == ("dang-ky-khai-sinh.yaml", "time")
    assert "không ghi đơn vị" in err.problem and "Hỏi cán bộ" in err.expected


def test_an_unsure_paper_listed_without_a_hedge_is_named(copy):
    def drop_note(d: dict) -> None:
        del d["papers"][1]["note"]

    edit(copy, "lien-thong-khai-sinh-tre-duoi-6-tuoi.yaml", drop_note)
    err = only(copy, "unsure_fact")
    assert (err.file, err.field) == ("lien-thong-khai-sinh-tre-duoi-6-tuoi.yaml", "papers[2]")
    assert "'giay-chung-sinh' is listed as certain" in err.problem


def test_an_unsure_paper_left_out_passes(copy):
    def drop_paper(d: dict) -> None:
        del d["papers"][1]

    edit(copy, "lien-thong-khai-sinh-tre-duoi-6-tuoi.yaml", drop_paper)
    assert findings_of(copy) == ()


def test_an_english_word_the_reader_would_say_the_english_way_is_named(copy):
    edit(copy, "papers.yaml", lambda d: d["papers"]["ban-pho-to-can-chung-thuc"].update(
        name="Bản photo cần chứng thực"))
    err = only(copy, "english_word")
    assert (err.file, err.field) == ("papers.yaml", "papers.ban-pho-to-can-chung-thuc.name")
    assert "'photo'" in err.problem and "phô tô" in err.expected


def test_a_day_read_without_mung_is_named(copy):
    def old_date(d: dict) -> None:
        when = d["papers"][3]["when"]
        d["papers"][3]["when"] = when.replace("ngày mùng 1 tháng 6", "ngày 1 tháng 6")

    edit(copy, "xac-dinh-muc-do-khuyet-tat.yaml", old_date)
    err = only(copy, "date_reading")
    assert (err.file, err.field) == ("xac-dinh-muc-do-khuyet-tat.yaml", "papers[4].when")
    assert "'ngày một tháng sáu'" in err.problem


def test_every_kind_has_a_fault_test():
    tested = {"long_sentence", "unexplained_term", "paper_name", "unsure_fact", "english_word",
              "date_reading"}
    assert set(KINDS) == tested


def test_a_broken_rules_file_is_reported_with_its_field(copy):
    edit(copy, "content-rules.yaml", lambda d: d.update(max_syllables="hai mươi", colour="đỏ"))
    rules, errors = load_rules(copy / "content-rules.yaml")
    assert {(e.file, e.field) for e in errors} == {
        ("content-rules.yaml", "max_syllables"),
        ("content-rules.yaml", "colour"),
    }
    assert rules.max_syllables == 25  # the default stands in


def test_the_check_command_fails_on_a_copy_with_each_kind_of_fault(copy, capsys):
    from terminal.cli import main

    edit(copy, "dang-ky-khai-sinh.yaml", lambda d: d.update(
        time="Thường xong trong ngày.", who=d["who"] + " Đọc số CSDL."))
    edit(copy, "papers.yaml", lambda d: d["papers"]["ban-pho-to-can-chung-thuc"].update(
        name="Bản photo cần chứng thực"))
    assert main(["procedures", "check", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "dang-ky-khai-sinh.yaml: time: states the time as certain" in out
    assert "dang-ky-khai-sinh.yaml: who: 'CSDL' is an abbreviation" in out
    assert "papers.yaml: papers.ban-pho-to-can-chung-thuc.name: 'photo'" in out
    assert out.strip().splitlines()[-1] == "3 error(s) in 2 file(s); 39 procedures loaded"
    assert main(["procedures", "check"]) == 0
    assert capsys.readouterr().out.strip() == "39 procedures OK\n10 services OK"


def test_the_distinguishing_questions_are_checked_too(copy):
    def jargon(d: dict) -> None:
        d["questions"][0]["answers"][0]["text"] = "Chưa làm, cần trích lục"

    edit(copy, "questions.yaml", jargon)
    err = only(copy, "unexplained_term")
    assert (err.file, err.field) == ("questions.yaml", "questions[1].answers[1].text")
