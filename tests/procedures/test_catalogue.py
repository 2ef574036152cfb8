"""The catalogue schema and loader: every error kind, written into broken copies in tmp_path."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures import MAX_PAPERS, CatalogueError, Need, load_catalogue
from procedures.catalogue import Catalogue

from .conftest import MODEL, dump


def errors_of(folder: Path) -> tuple[CatalogueError, ...]:
    return load_catalogue(folder).errors


def only_error(folder: Path) -> CatalogueError:
    errs = errors_of(folder)
    assert len(errs) == 1, [str(e) for e in errs]
    return errs[0]


# --- the valid baseline -----------------------------------------------------------------------


def test_model_file_alone_loads_without_errors(folder, write, model):
    write(model)
    cat = load_catalogue(folder)
    assert cat.errors == ()
    proc = cat.get("1.001193")
    assert proc is not None
    assert proc.slug == MODEL
    assert proc.papers[3].need is Need.SOMETIMES
    assert proc.papers[3].when == "Chỉ khi nhờ người ngoài gia đình đi làm thay."


def test_error_str_names_file_field_problem_and_expected(folder, write, model):
    model["papers"][1]["need"] = "maybe"
    write(model)
    err = only_error(folder)
    assert str(err) == (
        "dang-ky-khai-sinh.yaml: papers[2].need: 'maybe' is not allowed; "
        "expected always, sometimes or on_request"
    )
    assert (err.file, err.field) == ("dang-ky-khai-sinh.yaml", "papers[2].need")
    assert err.line is not None and err.line > 1


# --- one test per error kind --------------------------------------------------------------------


def test_invalid_yaml_reports_the_line(folder, write, model):
    text = dump(model).replace("short_name: Đăng ký khai sinh", "short_name: [Đăng ký khai sinh")
    write(text)
    err = only_error(folder)
    assert err.field == ""
    assert "is not valid YAML at line" in err.problem
    assert err.line is not None and err.line >= 4


def test_missing_field(folder, write, model):
    del model["fee"]
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("fee", "is missing")


def test_missing_paper_field(folder, write, model):
    del model["papers"][0]["paper"]
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("papers[1].paper", "is missing")


def test_wrong_type_text_given_a_number(folder, write, model):
    model["summary"] = 42
    write(model)
    err = only_error(folder)
    assert err.field == "summary"
    assert err.problem == "is a number (42)"
    assert "text" in err.expected


def test_wrong_type_unquoted_code_is_a_number(folder, write, model):
    write(dump(model).replace("code: '1.001193'", "code: 1.001193"))
    err = only_error(folder)
    assert err.field == "code"
    assert "is a number" in err.problem
    assert "quotes" in err.expected


def test_wrong_type_list_given_text(folder, write, model):
    model["legal_basis"] = "Luật Hộ tịch"
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("legal_basis", "is a text ('Luật Hộ tịch')")
    assert "list" in err.expected


def test_unknown_field(folder, write, model):
    model["colour"] = "đỏ"
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("colour", "is not a known field")
    assert "short_name" in err.expected


def test_non_nfc_text(folder, write, model):
    model["short_name"] = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    write(model)
    err = only_error(folder)
    assert err.field == "short_name"
    assert "NFC" in err.problem


def test_empty_text(folder, write, model):
    model["who"] = "   "
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("who", "is empty")


def test_empty_item_in_a_list(folder, write, model):
    model["phrases"].append("")
    write(model)
    err = only_error(folder)
    assert err.field == f"phrases[{len(model['phrases'])}]"


def test_duplicate_code_across_files(folder, write, model):
    write(model)
    write(model | {"phrases": ["câu khác hẳn"]}, name="khai-sinh-ban-sao")
    cat = load_catalogue(folder)
    [err] = cat.errors
    assert err.file == "khai-sinh-ban-sao.yaml"
    assert err.field == "code"
    assert err.problem == "'1.001193' is already used by dang-ky-khai-sinh.yaml"
    assert list(cat.procedures) == ["1.001193"]
    assert cat.get("1.001193").slug == MODEL


@pytest.mark.parametrize("code", ["1.1193", "1-001193", "12.001193", "1.0011933", "abc"])
def test_code_format(folder, write, model, code):
    model["code"] = code
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("code", f"'{code}' is not a procedure code")


def test_unknown_group(folder, write, model):
    model["group"] = "ho_tich_cu"
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("group", "'ho_tich_cu' is not a group in groups.yaml")
    assert "ho_tich" in err.expected


def test_empty_paper_list(folder, write, model):
    model["papers"] = []
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("papers", "is an empty list")


def test_more_than_max_papers(folder, write, model):
    paper = model["papers"][0]
    model["papers"] = [paper] * (MAX_PAPERS + 1)
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("papers", f"lists {MAX_PAPERS + 1} papers")
    assert str(MAX_PAPERS) in err.expected


def test_exactly_max_papers_is_fine(folder, write, model):
    model["papers"] = [model["papers"][0]] * MAX_PAPERS
    write(model)
    assert errors_of(folder) == ()


def test_sometimes_without_when(folder, write, model):
    assert model["papers"][4]["need"] == "sometimes"
    del model["papers"][4]["when"]
    write(model)
    err = only_error(folder)
    assert err.field == "papers[5].when"
    assert err.problem == "is missing for a paper needed only sometimes"


def test_a_paper_keeps_the_need_and_when_of_the_shared_list(folder, write, model):
    model["papers"][3] = {"paper": "giay-uy-quyen"}
    write(model)
    cat = load_catalogue(folder)
    paper = cat.get("1.001193").papers[3]
    shared = cat.shared_papers["giay-uy-quyen"]
    assert (paper.need, paper.when) == (shared.need, shared.when) == (
        Need.SOMETIMES,
        "Chỉ khi nhờ người khác đi làm thay.",
    )


def test_a_procedure_may_say_a_shared_paper_is_always_needed(folder, write, model):
    model["papers"][3] = {"paper": "giay-uy-quyen", "need": "always"}
    write(model)
    paper = load_catalogue(folder).get("1.001193").papers[3]
    assert (paper.need, paper.when) == (Need.ALWAYS, None)


def test_a_note_follows_the_shared_explanation(folder, write, model):
    model["papers"][0]["note"] = "Mang theo bút."
    write(model)
    cat = load_catalogue(folder)
    paper = cat.get("1.001193").papers[0]
    assert paper.explain == cat.shared_papers[paper.id].explain + " Mang theo bút."
    assert paper.note == "Mang theo bút."


def test_an_unknown_paper_id_names_the_closest_one(folder, write, model):
    model["papers"][2]["paper"] = "giay-to-tuy-thn"
    write(model)
    err = only_error(folder)
    assert err.field == "papers[3].paper"
    assert err.problem == (
        "'giay-to-tuy-thn' is not a paper in papers.yaml (did you mean giay-to-tuy-than?)"
    )


def test_a_paper_named_and_explained_in_the_procedure_file_is_refused(folder, write, model):
    model["papers"][0] = {"short": "Tờ khai", "explain": "Tờ khai.", "need": "always",
                          "where_to_get": "Tại quầy."}
    write(model)
    err = only_error(folder)
    assert err.field == "papers[1]"
    assert "papers.yaml" in err.expected


def _write_papers(folder: Path, data) -> None:
    (folder / "papers.yaml").write_text(dump(data), encoding="utf-8")


def test_a_broken_shared_paper_is_reported_in_papers_yaml_and_its_procedures_left_out(
    folder, write, model, paper_list
):
    del paper_list["papers"]["to-khai-khai-sinh"]["where_to_get"]
    _write_papers(folder, paper_list)
    write(model)
    cat = load_catalogue(folder)
    fields = {(e.file, e.field) for e in cat.errors}
    assert fields == {
        ("papers.yaml", "papers.to-khai-khai-sinh.where_to_get"),
        ("dang-ky-khai-sinh.yaml", "papers[1].paper"),
    }
    assert cat.get("1.001193") is None
    assert next(e for e in cat.errors if e.file == "papers.yaml").line is not None


def test_two_shared_papers_with_one_name_are_refused(folder, write, model, paper_list):
    paper_list["papers"]["giay-khai-sinh-2"] = dict(paper_list["papers"]["giay-chung-sinh"])
    _write_papers(folder, paper_list)
    write(model)
    err = only_error(folder)
    assert (err.file, err.field) == ("papers.yaml", "papers.giay-khai-sinh-2.name")
    assert err.problem == "'Giấy chứng sinh' is also the name of giay-chung-sinh"


def test_a_paper_id_with_accents_is_refused(folder, write, model, paper_list):
    new = dict(paper_list["papers"]["giay-chung-sinh"], name="Giấy mới")
    paper_list["papers"]["giấy-mới"] = new
    _write_papers(folder, paper_list)
    write(model)
    err = only_error(folder)
    assert (err.file, err.field) == ("papers.yaml", "papers.giấy-mới")
    assert "not a valid paper id" in err.problem


def test_a_missing_paper_list_is_one_error_per_file(folder, write, model):
    (folder / "papers.yaml").unlink()
    write(model)
    cat = load_catalogue(folder)
    assert [(e.file, e.field) for e in cat.errors] == [
        ("papers.yaml", ""),
        ("dang-ky-khai-sinh.yaml", "papers"),
    ]
    assert cat.procedures == {}


def test_when_on_an_always_paper(folder, write, model):
    model["papers"][0]["when"] = "Chỉ khi trời mưa."
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == (
        "papers[1].when",
        "is given for a paper that is always needed",
    )


def test_unknown_channel(folder, write, model):
    model["submit"] = ["centre", "email"]
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("submit[2]", "'email' is not allowed")
    assert err.expected == "centre, post, portal, vneid or police"


def test_unknown_handled_by(folder, write, model):
    model["handled_by"] = "district"
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("handled_by", "'district' is not allowed")
    assert err.expected == "centre or commune_police"


@pytest.mark.parametrize("value", ["2026-13-01", "23/11/2026", "2026-2-3", "yesterday"])
def test_bad_checked_date(folder, write, model, value):
    model["checked"] = value
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == ("checked", f"'{value}' is not a date")
    assert "YYYY-MM-DD" in err.expected


def test_unquoted_checked_date_is_accepted(folder, write, model):
    text = dump(model)
    assert f"checked: '{model['checked']}'" in text
    write(text.replace(f"checked: '{model['checked']}'", "checked: 2026-11-23"))
    cat = load_catalogue(folder)
    assert cat.errors == ()
    assert cat.get("1.001193").checked == "2026-11-23"


def test_phrase_used_by_two_procedures_without_being_shared(folder, write, model):
    write(model)
    other = model | {
        "code": "1.004884",
        "icon": "group/ho_tich",
        "phrases": ["đăng ký lại khai sinh", "Làm giấy khai sinh"],
    }
    write(other, name="dang-ky-lai-khai-sinh")
    cat = load_catalogue(folder)
    assert sorted((e.file, e.field) for e in cat.errors) == [
        ("dang-ky-khai-sinh.yaml", "phrases[5]"),
        ("dang-ky-lai-khai-sinh.yaml", "phrases[2]"),
    ]
    err = next(e for e in cat.errors if e.file == "dang-ky-lai-khai-sinh.yaml")
    assert err.problem == "'Làm giấy khai sinh' is also used by dang-ky-khai-sinh.yaml"
    assert "shared_phrases" in err.expected
    # Both procedures stay available; only the clashing phrase is dropped.
    assert set(cat.procedures) == {"1.001193", "1.004884"}
    assert "làm giấy khai sinh" not in cat.get("1.001193").phrases
    assert cat.get("1.004884").phrases == ("đăng ký lại khai sinh",)


def test_phrase_shared_in_both_files_is_fine(folder, write, model):
    write(model | {"shared_phrases": ["giấy khai sinh"]})
    other = model | {
        "code": "1.004884",
        "icon": "group/ho_tich",
        "phrases": ["khai sinh lại"],
        "shared_phrases": ["giấy khai sinh"],
    }
    write(other, name="dang-ky-lai-khai-sinh")
    assert errors_of(folder) == ()


def test_phrase_shared_in_one_file_only_is_an_error_in_the_other(folder, write, model):
    write(model | {"shared_phrases": ["giấy khai sinh"]})
    other = model | {
        "code": "1.004884",
        "icon": "group/ho_tich",
        "phrases": ["khai sinh lại", "giấy khai sinh"],
    }
    write(other, name="dang-ky-lai-khai-sinh")
    err = only_error(folder)
    assert (err.file, err.field) == ("dang-ky-lai-khai-sinh.yaml", "phrases[2]")


@pytest.mark.parametrize("name", ["Dang-Ky", "dang_ky_khai_sinh", "đăng-ký", "dang--ky"])
def test_file_name_must_be_a_slug(folder, write, model, name):
    write(model, name=name)
    err = only_error(folder)
    assert err.file == f"{name}.yaml"
    assert "is not a valid slug" in err.problem


def test_yml_ending_is_reported(folder, write, model):
    write(model, suffix=".yml")
    err = only_error(folder)
    assert err.file == f"{MODEL}.yml"
    assert ".yaml" in err.expected


def test_file_that_is_not_a_mapping(folder, write):
    write("- just\n- a list\n")
    err = only_error(folder)
    assert (err.field, err.problem) == ("", "is a list")
    assert err.expected == "a mapping of procedure fields (key: value)"


def test_file_that_is_not_utf8(folder, model):
    (folder / f"{MODEL}.yaml").write_bytes(dump(model).encode("utf-16"))
    err = only_error(folder)
    assert err.problem.startswith("is not UTF-8")


def test_missing_groups_file(folder, write, model):
    (folder / "groups.yaml").unlink()
    write(model)
    cat = load_catalogue(folder)
    [err] = cat.errors
    assert (err.file, err.problem) == ("groups.yaml", "the file is missing")
    assert list(cat.procedures) == ["1.001193"]  # the group is not checked against nothing


def test_group_with_a_missing_field(folder):
    (folder / "groups.yaml").write_text("groups:\n  - id: ho_tich\n    name: Hộ tịch\n", "utf-8")
    err = only_error(folder)
    assert (err.file, err.field, err.problem) == (
        "groups.yaml",
        "groups[1].spoken_name",
        "is missing",
    )


def test_missing_folder_is_one_error(tmp_path):
    cat = load_catalogue(tmp_path / "nowhere")
    assert cat.procedures == {}
    [err] = cat.errors
    assert err.problem == "is not a folder"


# --- a broken file never stops the rest ---------------------------------------------------------


def test_broken_file_is_reported_and_the_rest_loads(folder, write, model):
    write(model)
    write("code: [unclosed\n", name="zz-broken")
    other = model | {
        "code": "1.000656", "icon": "group/ho_tich", "papers": [], "phrases": ["khai tử"]
    }
    write(other, name="dang-ky-khai-tu")
    cat = load_catalogue(folder)
    assert list(cat.procedures) == ["1.001193"]
    assert {e.file for e in cat.errors} == {"zz-broken.yaml", "dang-ky-khai-tu.yaml"}


def test_every_error_in_a_file_is_listed(folder, write, model):
    model["code"] = "1.1"
    model["group"] = "nowhere"
    del model["time"]
    model["papers"][1]["need"] = "maybe"
    write(model)
    fields = {e.field for e in errors_of(folder)}
    assert fields == {"code", "group", "time", "papers[2].need"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_file_content_never_raises(folder, text):
    (folder / "fuzz.yaml").write_text(text, encoding="utf-8")
    cat = load_catalogue(folder)
    assert isinstance(cat, Catalogue)
    assert "1.001193" not in cat.procedures
    assert all(e.file == "fuzz.yaml" for e in cat.errors)


# --- the Catalogue API ---------------------------------------------------------------------------


def test_a_copied_file_keeping_the_other_procedures_picture_is_refused(folder, write, model):
    """A file made by copying another keeps that one's ``icon``: the kiosk would show the
    wrong picture beside its name. Its own picture, or its group's, are the only right ones."""
    write(model)
    write(model | {"code": "1.004884", "phrases": ["khai sinh lại"]}, name="dang-ky-lai-khai-sinh")
    err = only_error(folder)
    assert (err.file, err.field) == ("dang-ky-lai-khai-sinh.yaml", "icon")
    assert err.problem == "'procedure/1.001193' is another procedure's or group's picture"
    assert err.expected == "procedure/1.004884 (a picture of its own) or group/ho_tich"
    for fine in ("procedure/1.004884", "group/ho_tich"):
        write(model | {"code": "1.004884", "icon": fine, "phrases": ["khai sinh lại"]},
              name="dang-ky-lai-khai-sinh")
        assert errors_of(folder) == ()
    write(model | {"icon": "group/chung_thuc"})  # another group's picture
    own = "procedure/1.001193 (a picture of its own) or group/ho_tich"
    assert only_error(folder).expected == own


def test_by_group_and_get(folder, write, model):
    write(model)
    write(
        model
        | {
            "code": "2.000815",
            "group": "chung_thuc",
            "icon": "group/chung_thuc",
            "phrases": ["sao y"],
        },
        name="chung-thuc-ban-sao",
    )
    cat = load_catalogue(folder)
    assert [p.code for p in cat.by_group("chung_thuc")] == ["2.000815"]
    assert cat.by_group("dat_dai") == ()
    assert cat.get("9.999999") is None
    assert cat.by_slug("chung-thuc-ban-sao").code == "2.000815"


def test_groups_keep_file_order(folder):
    cat = load_catalogue(folder)
    assert [g.id for g in cat.groups][:2] == ["ho_tich", "chung_thuc"]
    assert [g.order for g in cat.groups] == sorted(g.order for g in cat.groups)


# --- papers any one of several things will do for (any_of) --------------------------------------


def test_a_paper_with_alternatives_lists_them_in_order(folder, write, model):
    write(model)
    paper = load_catalogue(folder).get("1.001193").papers[2]
    assert paper.id == "giay-to-tuy-than"
    assert [a.id for a in paper.alternatives] == [
        "can-cuoc", "tai-khoan-vneid-muc-2", "ho-chieu", "so-dinh-danh-ca-nhan",
    ]
    assert paper.alternative(1).name == "Tài khoản VNeID mức 2"
    assert paper.alternative(9) is None and paper.alternative(None) is None


@pytest.mark.parametrize(
    ("any_of", "field", "problem"),
    [
        (["can-cuoc", "can-cuok"], "any_of[2]",
         "'can-cuok' is not a paper in papers.yaml (did you mean can-cuoc?)"),
        (["can-cuoc"], "any_of", "lists 1 paper(s)"),
        (["can-cuoc", "can-cuoc"], "any_of[2]", "'can-cuoc' is listed twice"),
        (["can-cuoc", "giay-to-tuy-than"], "any_of[2]", "is the paper itself"),
        (["can-cuoc", "giay-to-ve-viec-sinh"], "any_of[2]",
         "'giay-to-ve-viec-sinh' has alternatives of its own"),
        ("can-cuoc", "any_of", "is a text ('can-cuoc')"),
    ],
)
def test_bad_alternatives_name_the_file_and_field(
    folder, write, model, paper_list, any_of, field, problem
):
    paper_list["papers"]["giay-to-tuy-than"]["any_of"] = any_of
    _write_papers(folder, paper_list)
    write(model)
    cat = load_catalogue(folder)
    errors = [e for e in cat.errors if e.file == "papers.yaml"]
    assert [(e.field, e.problem) for e in errors] == [(f"papers.giay-to-tuy-than.{field}", problem)]
    assert errors[0].line is not None
    assert cat.get("1.001193") is None  # it asks for the broken paper


def test_more_than_four_alternatives_are_refused(folder, write, model, paper_list):
    ids = ["can-cuoc", "tai-khoan-vneid-muc-2", "ho-chieu", "so-dinh-danh-ca-nhan",
           "giay-chung-sinh"]
    paper_list["papers"]["giay-to-tuy-than"]["any_of"] = ids
    _write_papers(folder, paper_list)
    write(model)
    err = next(e for e in load_catalogue(folder).errors if e.file == "papers.yaml")
    assert (err.field, err.problem) == ("papers.giay-to-tuy-than.any_of", "lists 5 paper(s)")


def test_more_than_two_papers_with_alternatives_in_one_procedure_are_refused(
    folder, write, model
):
    model["papers"][0] = {"paper": "giay-to-tuy-than-con-han"}
    write(model)
    err = only_error(folder)
    assert err.field == "papers"
    assert err.problem.startswith("lists 3 papers with alternatives")


# --- unsure facts ------------------------------------------------------------------------------


def test_unsure_facts_are_read_with_what_the_sources_leave_unsure(folder, write, model):
    write(model)
    proc = load_catalogue(folder).get("1.001193")
    assert [u.fact for u in proc.unsure] == ["time"]
    assert "không ghi đơn vị" in proc.unsure[0].why


@pytest.mark.parametrize(
    ("entry", "field", "problem"),
    [
        ({"fact": "weather", "why": "?"}, "unsure[1].fact",
         "'weather' is not a fact of a procedure"),
        ({"fact": "time"}, "unsure[1].why", "is missing"),
        ({"fact": "papers.Giấy", "why": "?"}, "unsure[1].fact",
         "'papers.Giấy' is not a fact of a procedure"),
    ],
)
def test_a_bad_unsure_entry_names_its_field(folder, write, model, entry, field, problem):
    model["unsure"] = [entry]
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == (field, problem)


# --- sources -----------------------------------------------------------------------------------


def test_a_source_names_its_facts_and_the_date_they_were_checked(folder, write, model):
    model["source"] = [
        "https://dichvucong.gov.vn/x",
        {"url": "https://example.vn/y", "facts": ["fee", "time"], "checked": "2026-09-21",
         "note": "bảng niêm yết"},
    ]
    model["checked"] = "2026-11-23"
    write(model)
    proc = load_catalogue(folder).get("1.001193")
    first, second = proc.sources
    assert (first.url, first.checked) == ("https://dichvucong.gov.vn/x", "2026-11-23")
    assert "papers" in first.facts and "code" in first.facts
    assert (second.facts, second.checked, second.note) == (("fee", "time"), "2026-09-21",
                                                           "bảng niêm yết")
    assert proc.sources_of("fee") == (first, second)
    assert proc.sources_of("code") == (first,)
    assert proc.source == ("https://dichvucong.gov.vn/x", "https://example.vn/y")


@pytest.mark.parametrize(
    ("entry", "field", "problem"),
    [
        ({"url": "https://x.vn", "facts": ["weather"]}, "source[1].facts[1]",
         "'weather' is not a fact"),
        ({"url": "https://x.vn", "checked": "21/9/2026"}, "source[1].checked",
         "'21/9/2026' is not a date"),
        ({"facts": ["fee"]}, "source[1].url", "is missing"),
    ],
)
def test_a_bad_source_names_its_field(folder, write, model, entry, field, problem):
    model["source"] = [entry]
    write(model)
    err = only_error(folder)
    assert (err.field, err.problem) == (field, problem)


def test_every_shipped_fact_has_a_source_or_is_marked_unsure(shipped_catalogue):
    from procedures.model import FACTS

    gaps = [
        (p.slug, fact)
        for p in shipped_catalogue.procedures.values()
        for fact in FACTS
        if not p.sources_of(fact) and not p.unsure_of(fact)
    ]
    assert gaps == []


# --- pictures (icon) ---------------------------------------------------------------------------


def test_icons_are_read_for_groups_procedures_and_papers(folder, write, model):
    write(model)
    cat = load_catalogue(folder)
    assert cat.group("ho_tich").icon == "group/ho_tich"
    proc = cat.get("1.001193")
    assert proc.icon == "procedure/1.001193"
    assert proc.papers[0].icon == "paper/form"  # to-khai-khai-sinh
    identity = next(p for p in proc.papers if p.id == "giay-to-tuy-than")
    assert identity.icon == "paper/id_card"
    assert [a.icon for a in identity.alternatives] == [
        "paper/id_card", "paper/vneid", "paper/passport", "paper/id_number",
    ]  # fmt: skip


def test_without_an_icon_a_procedure_shows_its_groups_and_a_paper_a_plain_sheet(
    folder, write, model, paper_list
):
    del model["icon"]
    write(model)
    del paper_list["papers"]["to-khai-khai-sinh"]["icon"]
    (folder / "papers.yaml").write_text(dump(paper_list), encoding="utf-8")
    groups = (folder / "groups.yaml").read_text("utf-8").replace("    icon: group/ho_tich\n", "")
    (folder / "groups.yaml").write_text(groups, "utf-8")
    cat = load_catalogue(folder)
    assert cat.errors == ()
    assert cat.group("ho_tich").icon == "group/ho_tich"
    assert cat.get("1.001193").icon == "group/ho_tich"
    assert cat.shared_papers["to-khai-khai-sinh"].icon == "paper/paper"


@pytest.mark.parametrize(
    ("icon", "problem"),
    [
        ("paper/form", "'paper/form' is not a picture's meaning of the right kind"),
        ("baby", "'baby' is not a picture's meaning of the right kind"),
        (7, "is a number (7)"),
    ],
)
def test_a_procedure_icon_of_the_wrong_kind_is_an_error(folder, write, model, icon, problem):
    model["icon"] = icon
    write(model)
    err = only_error(folder)
    assert (err.file, err.field, err.problem) == ("dang-ky-khai-sinh.yaml", "icon", problem)
    assert err.line == 6
    if isinstance(icon, str):
        assert err.expected.startswith("procedure/<name> or group/<name>")


def test_a_paper_or_group_icon_of_the_wrong_kind_is_an_error(folder, write, model, paper_list):
    paper_list["papers"]["giay-uy-quyen"]["icon"] = "action/yes"
    (folder / "papers.yaml").write_text(dump(paper_list), encoding="utf-8")
    groups = (folder / "groups.yaml").read_text("utf-8")
    groups = groups.replace("icon: group/cu_tru", "icon: house")
    (folder / "groups.yaml").write_text(groups, "utf-8")
    write(model)
    cat = load_catalogue(folder)
    found = {(e.file, e.field, e.problem) for e in cat.errors}
    assert ("papers.yaml", "papers.giay-uy-quyen.icon",
            "'action/yes' is not a picture's meaning of the right kind") in found  # fmt: skip
    assert ("groups.yaml", "groups[7].icon",
            "'house' is not a picture's meaning of the right kind") in found  # fmt: skip
    assert cat.group("cu_tru") is None and "giay-uy-quyen" not in cat.shared_papers
