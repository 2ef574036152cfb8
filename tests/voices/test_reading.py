"""Vietnamese reading for speech: numbers, money, dates, times, tickets, phones, abbreviations."""

from __future__ import annotations

import unicodedata

import pytest

from voices.reading import read_decimal, read_int, speakable

INTEGERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1050, "một nghìn không trăm năm mươi"),
    (2026, "hai nghìn không trăm hai mươi sáu"),
    (8000, "tám nghìn"),
    (20_000, "hai mươi nghìn"),
    (100_000, "một trăm nghìn"),
    (1_500_000, "một triệu năm trăm nghìn"),
    (1_000_005, "một triệu không trăm linh năm"),
    (2_000_000_000, "hai tỷ"),
    (3_000_050_000, "ba tỷ không trăm năm mươi nghìn"),
]


@pytest.mark.parametrize(("number", "words"), INTEGERS)
def test_read_int_follows_vietnamese_rules(number: int, words: str) -> None:
    assert read_int(number) == words


def test_read_int_uses_le_for_central_and_southern_voices() -> None:
    assert read_int(105, "south") == "một trăm lẻ năm"
    assert read_int(2005, "central") == "hai nghìn không trăm lẻ năm"


def test_num2words_vietnamese_is_wrong_where_we_correct_it() -> None:
    """Why reading.py has its own reader: num2words 0.5 reads these wrongly for Vietnamese."""
    from num2words import num2words

    assert num2words(2026, lang="vi") != read_int(2026)
    assert num2words(1.5, lang="vi") != read_decimal("1,5")


DECIMALS = [
    ("8.000", "tám nghìn"),
    ("1.500.000", "một triệu năm trăm nghìn"),
    ("1,5", "một phẩy năm"),
    ("2,25", "hai phẩy hai mươi lăm"),
    ("0,05", "không phẩy không năm"),
    ("07", "bảy"),
]


@pytest.mark.parametrize(("text", "words"), DECIMALS)
def test_read_decimal_uses_dot_for_thousands_and_comma_for_decimals(text: str, words: str) -> None:
    assert read_decimal(text) == words


SENTENCES = [
    # money
    ("Lệ phí: 20.000 đ", "Lệ phí: hai mươi nghìn đồng"),
    ("Lệ phí 20.000đ.", "Lệ phí hai mươi nghìn đồng."),
    ("50.000 - 100.000 đồng", "năm mươi nghìn đến một trăm nghìn đồng"),
    ("1.500.000 VNĐ", "một triệu năm trăm nghìn đồng"),
    # counts and procedure times
    ("07 ngày làm việc", "bảy ngày làm việc"),
    ("Trả kết quả trong 3-5 ngày", "Trả kết quả trong ba đến năm ngày"),
    ("15 giờ", "mười lăm giờ"),
    ("Ông/bà cần 2 bản sao", "Ông bà cần hai bản sao"),
    ("Giảm 50%", "Giảm năm mươi phần trăm"),
    # dates and times
    (
        "Hẹn trả: 23/11/2026",
        "Hẹn trả: ngày hai mươi ba tháng mười một năm hai nghìn không trăm hai mươi sáu",
    ),
    ("ngày 5/4/2026", "ngày mùng năm tháng tư năm hai nghìn không trăm hai mươi sáu"),
    ("ngày 15/4", "ngày mười lăm tháng tư"),
    ("tháng 4", "tháng tư"),
    ("Năm 2026", "Năm hai nghìn không trăm hai mươi sáu"),
    ("từ 7:30 đến 17:00", "từ bảy giờ ba mươi phút đến mười bảy giờ"),
    ("7h30", "bảy giờ ba mươi phút"),
    ("thứ 4", "thứ tư"),
    ("thứ 2", "thứ hai"),
    # tickets: letter, a pause, then digit by digit as printed
    ("Mời số U012 đến quầy 2", "Mời số u, không một hai đến quầy hai"),
    ("Số của ông bà: A107", "Số của ông bà: a, một không bảy"),
    ("Mời số A-105 đến quầy 2", "Mời số a, một không năm đến quầy hai"),
    ("Mời số Q-007 đến quầy 1", "Mời số quy, không không bảy đến quầy một"),
    ("Số U-1100", "Số u, một một không không"),
    # phone numbers digit by digit, in groups
    ("Gọi 0912345678", "Gọi không chín một hai, ba bốn năm, sáu bảy tám"),
    ("Gọi 0243 123 4567", "Gọi không hai bốn ba, một hai ba, bốn năm sáu bảy"),
    ("Tổng đài 1900 1234", "Tổng đài một chín không không, một hai ba bốn"),
    # abbreviations and legal references
    ("UBND xã", "Ủy ban nhân dân xã"),
    ("Mang CCCD", "Mang căn cước công dân"),
    ("Cài VNeID", "Cài Vê en e ai đi"),
    ("Danh mục TTHC", "Danh mục thủ tục hành chính"),
    (
        "Nghị định 123/2015/NĐ-CP",
        "Nghị định số một trăm hai mươi ba năm hai nghìn không trăm mười lăm, nghị định chính phủ",
    ),
    (
        "Quyết định 296/QĐ-VPCP",
        "Quyết định số hai trăm chín mươi sáu, quyết định Văn phòng Chính phủ",
    ),
    (
        "Nghị định số 123/2015/NĐ-CP",
        "Nghị định số một trăm hai mươi ba năm hai nghìn không trăm mười lăm, nghị định chính phủ",
    ),
    ("mã 1.000656", "mã một chấm không không không sáu năm sáu"),
    ("mẫu CT01", "mẫu xê tê không một"),
    ("xét nghiệm ADN", "xét nghiệm a đê en"),
    (
        "Luật 91/2025/QH15",
        "Luật số chín mươi mốt năm hai nghìn không trăm hai mươi lăm, Quốc hội khóa mười lăm",
    ),
]


@pytest.mark.parametrize(("text", "spoken"), SENTENCES)
def test_speakable_reads_vietnamese_text(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


def test_speakable_leaves_plain_words_unchanged() -> None:
    text = "Thủ tục đăng ký khai sinh cần giấy chứng sinh."
    assert speakable(text) == text


def test_speakable_returns_nfc_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Lệ phí 20.000 đ")
    result = speakable(decomposed)
    assert unicodedata.is_normalized("NFC", result)
    assert result == "Lệ phí hai mươi nghìn đồng"


def test_speakable_never_leaves_digits_in_vietnamese_text() -> None:
    text = "Số U012, quầy 3, hẹn 23/11/2026 lúc 8:15, phí 20.000 đ, gọi 0912345678."
    assert not any(ch.isdigit() for ch in speakable(text))


def test_speakable_english_reads_numbers_with_num2words() -> None:
    assert speakable("Fee: 20,000 đ in 3 days", "en") == "Fee: twenty thousand dong in three days"
