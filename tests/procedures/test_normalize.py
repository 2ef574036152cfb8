"""Vietnamese normalisation: exact outputs for each rule."""

from __future__ import annotations

import doctest
import unicodedata

import pytest

from procedures import normalize as normalize_module
from procedures.normalize import (
    FILLERS,
    REWRITES,
    canonical,
    clean,
    fold,
    has_diacritics,
    nfc,
    normalize,
    words,
)


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert decomposed != "Đăng ký khai sinh"
    assert nfc(decomposed) == "Đăng ký khai sinh"


def test_fold_removes_every_diacritic_including_d_stroke():
    assert fold("Đăng ký khai tử, chứng thực, hộ nghèo, đất đai") == (
        "Dang ky khai tu, chung thuc, ho ngheo, dat dai"
    )


def test_fold_of_decomposed_text_equals_fold_of_composed_text():
    text = "Thường trú ở Hải Phòng"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text) == "Thuong tru o Hai Phong"


def test_has_diacritics():
    assert has_diacritics("sổ đỏ")
    assert not has_diacritics("so do")


def test_words_casefold_and_split_punctuation():
    assert words("Sổ ĐỎ, lần-đầu?! (gấp)") == ["sổ", "đỏ", "lần", "đầu", "gấp"]


def test_clean_collapses_whitespace():
    assert clean("  Làm   giấy\tkhai sinh\n") == "làm giấy khai sinh"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("khai sanh", "khai sinh"),
        ("nhập hộ khẩu cho con", "thường trú con"),
        ("cắt hộ khẩu", "xóa đăng ký thường trú"),
        ("công chứng giấy tờ", "chứng thực giấy tờ"),
        ("làm sổ đỏ", "cấp giấy chứng nhận quyền sử dụng đất"),
        ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
        ("con mới đẻ", "con mới sinh"),
        ("lấy vợ", "kết hôn"),
        ("cưới chồng", "kết hôn"),
        ("giấy độc thân", "tình trạng hôn nhân"),
        ("chưa có vợ", "tình trạng hôn nhân"),
        ("ông mất rồi", "ông chết"),
        ("chúc thư", "di chúc"),
        ("tàn tật", "khuyết tật"),
        ("đám ma", "mai táng"),
        ("thương binh", "người có công"),
        ("xác nhận chữ kí", "xác nhận chữ ký"),
        ("hoà giải", "hòa giải"),
    ],
)
def test_everyday_and_regional_words_become_official_words(text, expected):
    assert normalize(text, folded=False) == expected


def test_rewrites_are_whole_words_only():
    # "sanh" inside another word and "ba" inside "bao" are left alone.
    assert canonical("bao sanhs") == "bao sanhs"


def test_official_words_are_not_rewritten_again():
    assert normalize("nhận cha mẹ con", folded=False) == "nhận cha mẹ con"
    assert normalize("thường trú", folded=False) == "thường trú"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bố tôi mất hôm qua", "cha chết hôm qua"),
        ("bà cụ mất", "bà cụ chết"),
        ("con tôi làm mất giấy khai sinh", "con bị mất giấy khai sinh"),
        ("giấy khai sinh mất rồi", "giấy khai sinh mất"),  # a lost paper, not a death
        ("giấy hôn thú thất lạc rồi", "kết hôn bị mất"),
        ("nhà có người mới mất", "nhà có người mới chết"),
        ("mẹ bị mất thẻ khuyết tật", "mẹ bị mất thẻ khuyết tật"),
        ("mất giấy kết hôn", "mất kết hôn"),
    ],
)
def test_mat_means_died_after_a_person_and_lost_with_a_paper(text, expected):
    assert normalize(text, folded=False) == expected


def test_fillers_and_polite_particles_are_dropped():
    text = "Chị ơi cho tôi hỏi làm khai tử thế nào ạ"
    assert normalize(text, folded=False) == "làm khai tử"


def test_fillers_dropped_when_typed_without_accents():
    assert normalize("cho toi hoi lam khai tu the nao a") == "lam khai tu"


def test_full_pipeline_example_from_the_issue():
    assert normalize("Cho tôi hỏi làm sổ đỏ lần đầu thế nào ạ?") == (
        "cap giay chung nhan quyen su dung dat lan dau"
    )


def test_text_typed_without_accents_meets_the_accented_form():
    assert normalize("lam so do lan dau") == normalize("làm sổ đỏ lần đầu")
    assert normalize("dang ky khai sanh") == normalize("đăng ký khai sinh") == "dang ky khai sinh"


def test_folded_rewrites_skip_ambiguous_words():
    # "de" is both "đẻ" (give birth) and "để" (in order to): only the accented form is rewritten.
    assert normalize("de lam giay", folded=True) == "de lam giay"  # not "sinh lam giay"
    assert normalize("đẻ", folded=False) == "sinh"


def test_content_words_survive_folded_filler_removal():
    # "dang" (đang, a filler) is also "đăng" in "đăng ký"; "can" (cần) is also "cận" (cận nghèo).
    assert normalize("dang ky ho can ngheo") == "dang ky ho can ngheo"


def test_normalize_output_is_ascii_words_separated_by_single_spaces():
    out = normalize("  Đăng   ký, KẾT hôn!! ")
    assert out == "dang ky ket hon"
    assert out.isascii()


def test_empty_and_filler_only_text_normalise_to_nothing():
    assert normalize("") == ""
    assert normalize("ạ ơi nhé") == ""


def test_rewrite_table_is_clean_and_fillers_are_nfc():
    assert all(k == clean(k) and v == clean(v) for k, v in REWRITES.items())
    assert all(nfc(f) == f for f in FILLERS)


def test_docstring_examples_hold():
    assert doctest.testmod(normalize_module).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what is asked for, what only tells the story, and what is plain
        (
            "Em tôi đang lãnh trợ cấp hằng tháng, tuần trước em mất, tôi xin tiền mai táng",
            [
                ("plain", "em tôi"),
                ("background", "đang lãnh trợ cấp hằng tháng"),
                ("plain", "tuần trước em chết"),
                ("plain", "tôi"),
                ("request", "xin tiền mai táng"),
            ],
        ),
        # a purpose is background; a break word ends it
        (
            "cần giấy xác nhận để làm hồ sơ thì ra đâu",
            [
                ("request", "cần giấy xác nhận"),
                ("background", "để làm hồ sơ"),
                ("plain", "thì ra đâu"),
            ],
        ),
        # what the resident does not ask for is left out (up to four words, or the comma)
        (
            "xin giấy xác nhận chứ không phải bản sao trích lục, gấp lắm",
            [("request", "xin giấy xác nhận"), ("plain", "gấp lắm")],
        ),
        ("không đợi đến cuối năm được xin hộ nghèo", [("request", "xin hộ nghèo")]),
    ],
)
def test_a_request_is_read_in_parts(text, expected):
    from procedures.normalize import parts

    assert parts(text) == expected
