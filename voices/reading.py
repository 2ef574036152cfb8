"""Text → what the synthesiser should say: numbers, money, dates, times and abbreviations in words.

``speakable(text, lang)`` is applied by ``VoiceOut`` to every text before synthesis, so callers
pass ordinary screen text ("Lệ phí: 20.000 đ", "Hẹn trả: 23/11/2026") and the voice reads
"Lệ phí: hai mươi nghìn đồng", "Hẹn trả: ngày hai mươi ba tháng mười một năm hai nghìn không
trăm hai mươi sáu".

Vietnamese reading rules (written here rather than taken from ``num2words``, whose ``vi`` output is
wrong in places: 2026 → "hai nghìn lẻ hai mươi sáu", 1.5 → "một phẩy năm mươi"):

- ``.`` groups thousands ("8.000" = 8000), ``,`` is the decimal mark ("1,5" = một phẩy năm).
- A hundreds digit is always read inside a number once a higher group exists: 2026 → "hai nghìn
  không trăm hai mươi sáu"; a lone unit after a zero tens digit takes "linh" (Northern) or "lẻ"
  (Central/Southern voices): 105 → "một trăm linh năm".
- 1 after "mươi" is "mốt" (21 → hai mươi mốt), 5 after a tens word is "lăm" (15 → mười lăm,
  25 → hai mươi lăm), 4 after "mươi" is "tư" (24 → hai mươi tư).
- Leading zeros are dropped for counts ("07 ngày làm việc" → "bảy ngày làm việc").
- Queue tickets ("U-012", "A-105", "Q-007", and the older "U012") are read letter, a short
  pause, then digit by digit, exactly as printed: "u, không một hai". The same rule reads the
  label on the terminal's screens, in the slip read aloud and in the hall's spoken call, so a
  resident comparing them can follow each character, and the leading zero is not lost.
- Phone numbers (a digit run starting with 0, at least 8 digits, optionally grouped by spaces,
  dots or hyphens) and hotlines 1800/1900 are read digit by digit, with a pause between groups.
- Days 1-10 take "mùng" ("ngày mùng năm tháng tư"); month 4 is "tháng tư"; "thứ 4" → "thứ tư".
- Legal references "123/2015/NĐ-CP" → "số một trăm hai mươi ba năm hai nghìn không trăm mười
  lăm, nghị định chính phủ".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

DIGITS_VI = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

ABBREVIATIONS_VI: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "VNeID": "Vê en e ai đi",
    "TTHC": "thủ tục hành chính",
    "NĐ-CP": "nghị định chính phủ",
    "TT-BTP": "thông tư Bộ Tư pháp",
    "TT-BCA": "thông tư Bộ Công an",
    "QĐ-TTg": "quyết định Thủ tướng",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "GCN": "giấy chứng nhận",
    "QSDĐ": "quyền sử dụng đất",
    "SĐT": "số điện thoại",
    "ĐT": "điện thoại",
    "STT": "số thứ tự",
    "QR": "cu a",
    "TP.": "thành phố",
    "km": "ki lô mét",
    "VNĐ": "đồng",
    "VND": "đồng",
    "HIV": "hát i vê",
    "ADN": "a đê en",
}
"""Whole-word abbreviations and their spoken form (case-sensitive)."""

ABBREVIATIONS_EN: dict[str, str] = {
    "UBND": "People's Committee",
    "CCCD": "citizen identity card",
    "VNeID": "V N e I D",
    "VNĐ": "dong",
    "VND": "dong",
}

LETTERS_VI: dict[str, str] = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "giê",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ",
    "O": "o", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích xì", "Y": "i dài", "Z": "dét",
}  # fmt: skip
"""How a ticket or code letter is named when spelled out."""

LEGAL_PARTS_VI: dict[str, str] = {
    "QĐ": "quyết định", "NĐ": "nghị định", "TT": "thông tư", "CP": "chính phủ",
    "TTg": "Thủ tướng", "UBND": "Ủy ban nhân dân", "VPCP": "Văn phòng Chính phủ",
    "BTP": "Bộ Tư pháp", "BCA": "Bộ Công an", "BYT": "Bộ Y tế", "BTC": "Bộ Tài chính",
    "BLĐTBXH": "Bộ Lao động Thương binh và Xã hội", "BNV": "Bộ Nội vụ", "QH": "Quốc hội",
}  # fmt: skip
"""Parts of a document number ("296/QĐ-VPCP") and how they are read."""


def read_int(number: int, variant: str = "north") -> str:
    """A whole number in Vietnamese words (``0`` → "không", 2026 → "hai nghìn không trăm...")."""
    if number < 0:
        return "âm " + read_int(-number, variant)
    if number == 0:
        return DIGITS_VI[0]
    if number >= 1_000_000_000:
        high, rest = divmod(number, 1_000_000_000)
        words = read_int(high, variant) + " tỷ"
        if rest:
            words += " " + _read_below_billion(rest, variant, full=True)
        return words
    return _read_below_billion(number, variant, full=False)


def _read_below_billion(number: int, variant: str, full: bool) -> str:
    """``full``: a higher group was already read, so hundreds are always spoken."""
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    units = ("triệu", "nghìn", "")
    words: list[str] = []
    for group, unit in zip(groups, units, strict=True):
        if group == 0:
            continue
        words.append(_read_group(group, variant, full=full or bool(words)))
        if unit:
            words.append(unit)
    return " ".join(words)


def _read_group(group: int, variant: str, full: bool) -> str:
    """Three digits; ``full`` reads "không trăm" / "linh" even without a hundreds digit."""
    hundreds, tens, unit = group // 100, (group // 10) % 10, group % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS_VI[hundreds], "trăm"]
    if tens == 0:
        if unit and words:
            words += ["linh" if variant == "north" else "lẻ", DIGITS_VI[unit]]
        elif unit:
            words.append(DIGITS_VI[unit])
        return " ".join(words)
    words += ["mười"] if tens == 1 else [DIGITS_VI[tens], "mươi"]
    if unit == 1 and tens >= 2:
        words.append("mốt")
    elif unit == 5:
        words.append("lăm")
    elif unit == 4 and tens >= 2:
        words.append("tư")
    elif unit:
        words.append(DIGITS_VI[unit])
    return " ".join(words)


def read_digits(digits: str) -> str:
    """Digit by digit: "012" → "không một hai"."""
    return " ".join(DIGITS_VI[int(d)] for d in digits if d.isdigit())


def read_decimal(text: str, variant: str = "north") -> str:
    """A Vietnamese-written number: "8.000" → tám nghìn, "1,5" → một phẩy năm."""
    whole, _, frac = text.partition(",")
    words = read_int(int(whole.replace(".", "") or "0"), variant)
    if frac:
        if frac.startswith("0") or len(frac) > 2:
            words += " phẩy " + read_digits(frac)
        else:
            words += " phẩy " + read_int(int(frac), variant)
    return words


def _day(day: int, variant: str) -> str:
    return ("mùng " if day <= 10 else "") + read_int(day, variant)


def _month(month: int, variant: str) -> str:
    return "tư" if month == 4 else read_int(month, variant)


# A number written the Vietnamese way: 8.000 / 1.500.000 / 1,5 / 2026 / 07.
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_B = r"(?<![\w.,/])"  # not glued to a preceding word, number or slash
_E = r"(?![\w/]|[.,]\d)"  # not glued to a following word or number part

_PATTERNS_VI: list[tuple[re.Pattern[str], Callable[[re.Match[str], str], str]]] = []


def _rule(pattern: str) -> Callable[[Callable[[re.Match[str], str], str]], None]:
    def add(func: Callable[[re.Match[str], str], str]) -> None:
        _PATTERNS_VI.append((re.compile(pattern), func))

    return add


@_rule(r"(?:\b[Ss]ố\s+)?" + _B + r"(\d{1,4})/(\d{4})/((?:[A-ZĐ]+\d*)(?:-[A-ZĐa-z]+\d*)*)" + _E)
def _legal(m: re.Match[str], variant: str) -> str:
    kind = ABBREVIATIONS_VI.get(m[3], " ".join(_spell(part) for part in m[3].split("-")))
    return f"số {read_int(int(m[1]), variant)} năm {read_int(int(m[2]), variant)}, {kind}"


@_rule(r"(?:\b[Ss]ố\s+)?" + _B + r"(\d{1,5})/((?:[A-ZĐ][A-ZĐa-z]*)(?:-[A-ZĐ][A-ZĐa-z]*)+)" + _E)
def _decision(m: re.Match[str], variant: str) -> str:
    """ "296/QĐ-VPCP" → "số hai trăm chín mươi sáu, quyết định Văn phòng Chính phủ"."""
    return f"số {read_int(int(m[1]), variant)}, " + " ".join(_spell(p) for p in m[2].split("-"))


@_rule(_B + r"(\d)\.(\d{6})" + _E)
def _procedure_code(m: re.Match[str], variant: str) -> str:  # noqa: ARG001
    """National procedure codes ("1.000656") digit by digit."""
    return f"{read_digits(m[1])} chấm {read_digits(m[2])}"


@_rule(r"(?:\b[Nn]gày\s+)?" + _B + r"(\d{1,2})/(\d{1,2})/(\d{4})" + _E)
def _date(m: re.Match[str], variant: str) -> str:
    day, month, year = int(m[1]), int(m[2]), int(m[3])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m[0].replace("/", " trên ")
    return f"ngày {_day(day, variant)} tháng {_month(month, variant)} năm {read_int(year, variant)}"


@_rule(r"(?:\b[Nn]gày\s+)?" + _B + r"(\d{1,2})/(\d{1,2})" + _E)
def _day_month(m: re.Match[str], variant: str) -> str:
    day, month = int(m[1]), int(m[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return f"{read_int(day, variant)} trên {read_int(month, variant)}"
    return f"ngày {_day(day, variant)} tháng {_month(month, variant)}"


@_rule(r"\b[Tt]háng\s+(\d{1,2})/(\d{4})" + _E)
def _month_year(m: re.Match[str], variant: str) -> str:
    return f"tháng {_month(int(m[1]), variant)} năm {read_int(int(m[2]), variant)}"


@_rule(r"\b[Tt]háng\s+(\d{1,2})" + _E)
def _month_only(m: re.Match[str], variant: str) -> str:
    return f"{m[0][0]}háng {_month(int(m[1]), variant)}"


@_rule(r"\b([Tt])hứ\s+(\d{1,2})" + _E)
def _ordinal(m: re.Match[str], variant: str) -> str:
    n = int(m[2])
    word = {1: "nhất", 4: "tư"}.get(n) or read_int(n, variant)
    return f"{m[1]}hứ {word}"


@_rule(_B + r"([01]?\d|2[0-3])\s*(?::|h|giờ)\s*([0-5]\d)(?:\s*phút)?" + _E)
def _clock(m: re.Match[str], variant: str) -> str:
    hour, minute = int(m[1]), int(m[2])
    words = f"{read_int(hour, variant)} giờ"
    if minute:
        words += f" {read_int(minute, variant)} phút"
    return words


@_rule(_B + r"([01]?\d|2[0-3])h" + _E)
def _hour(m: re.Match[str], variant: str) -> str:
    return f"{read_int(int(m[1]), variant)} giờ"


TICKET = re.compile(_B + r"([AUQ])-?(\d{3,4})" + _E)
"""A queue ticket's label ("A-105", "U-1100", "Q-007", the older "U012")."""


@_rule(TICKET.pattern)
def _ticket(m: re.Match[str], variant: str) -> str:  # noqa: ARG001
    return f"{LETTERS_VI[m[1]]}, {read_digits(m[2])}"


@_rule(_B + r"([A-ZĐ]{1,3})(\d{1,3})" + _E)
def _form_code(m: re.Match[str], variant: str) -> str:  # noqa: ARG001
    """Form and paper codes ("mẫu CT01") spelled: "xê tê không một"."""
    return f"{_spell(m[1])} {read_digits(m[2])}"


@_rule(
    _B + r"((?:1800|1900)[ .-]?\d{3,4}(?:[ .-]?\d{2,4})?"
    r"|0\d{1,4}(?:[ .-]?\d{2,4}){1,4})" + _E
)
def _phone(m: re.Match[str], variant: str) -> str:
    digits = re.sub(r"\D", "", m[0])
    if len(digits) < 8 and not digits.startswith(("1800", "1900")):
        # a short zero-led number ("07 ngày", "0,5") is a count, not a phone number
        return _plain_number(m[0], variant)
    groups = [g for g in re.split(r"[ .-]", m[0]) if g]
    if len(groups) == 1:
        sizes = {10: (4, 3, 3), 11: (3, 4, 4)}.get(len(digits))
        if sizes is None:
            sizes = tuple(3 for _ in range(len(digits) // 3))
            sizes = (*sizes[:-1], sizes[-1] + len(digits) % 3)
        groups, start = [], 0
        for size in sizes:
            groups.append(digits[start : start + size])
            start += size
    return ", ".join(read_digits(g) for g in groups)


def _plain_number(text: str, variant: str) -> str:
    return re.sub(_NUM, lambda n: read_decimal(n[0], variant), text)


@_rule(_B + r"(" + _NUM + r")(?:\s*[-–]\s*(" + _NUM + r"))?\s*(?:đồng|đ|VNĐ|VND|vnđ|vnd)(?!\w)")
def _money(m: re.Match[str], variant: str) -> str:
    words = read_decimal(m[1], variant)
    if m[2]:
        words += " đến " + read_decimal(m[2], variant)
    return words + " đồng"


@_rule(_B + r"(" + _NUM + r")\s*%")
def _percent(m: re.Match[str], variant: str) -> str:
    return read_decimal(m[1], variant) + " phần trăm"


@_rule(_B + r"(" + _NUM + r")\s*[-–]\s*(" + _NUM + r")" + _E)
def _range(m: re.Match[str], variant: str) -> str:
    return f"{read_decimal(m[1], variant)} đến {read_decimal(m[2], variant)}"


@_rule(_B + r"(" + _NUM + r")" + _E)
def _number(m: re.Match[str], variant: str) -> str:
    return read_decimal(m[1], variant)


def _spell(code: str) -> str:
    """A code such as "QH15" → "Quốc hội khóa mười lăm", else letters and a number."""
    if m := re.fullmatch(r"QH(\d+)", code):
        return f"Quốc hội khóa {read_int(int(m[1]))}"
    if code in LEGAL_PARTS_VI:
        return LEGAL_PARTS_VI[code]
    parts = re.findall(r"\d+|\D", code)
    return " ".join(read_int(int(p)) if p.isdigit() else LETTERS_VI.get(p, p) for p in parts)


def _abbreviations(text: str, table: dict[str, str]) -> str:
    for short in sorted(table, key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(short) + r"(?![\w-])", table[short], text)
    return text


_READ_OPEN, _READ_CLOSE = "\ue000", "\ue001"
"""Private-use marks around the words a reading rule produced (never in catalogue text)."""


def speakable(text: str, lang: str = "vi", variant: str = "north") -> str:
    """``text`` as the synthesiser should read it (see the module doc for the rules).

    ``variant`` (north, central, south) only changes "linh" (north) / "lẻ" in numbers.
    Languages other than Vietnamese get their numbers from ``num2words`` when it knows the
    language; unknown languages are returned unchanged apart from NFC normalisation.
    """
    joined = "".join(part for part, _ in speakable_parts(text, lang, variant))
    return re.sub(r"[ \t]+", " ", joined).strip()


def speakable_parts(
    text: str, lang: str = "vi", variant: str = "north"
) -> tuple[tuple[str, bool], ...]:
    """``speakable(text)`` cut into (text, read) parts: ``read`` is True for the words a reading
    rule produced (a number, money, a date, a time, a ticket...), False for the text around
    them. Joining the parts and collapsing spaces gives ``speakable(text)`` exactly; the voice
    builds the read parts from recorded pieces (``voices.compose``)."""
    text = unicodedata.normalize("NFC", text)
    if lang != "vi":
        return ((_speakable_other(text, lang), False),)
    for pattern, func in _PATTERNS_VI:
        text = pattern.sub(lambda m, f=func: _READ_OPEN + f(m, variant) + _READ_CLOSE, text)
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{_READ_OPEN}{_READ_CLOSE}]", text)):
        if not piece:
            continue
        if i % 2:  # inside the marks: words of a reading rule
            parts.append((piece, True))
            continue
        piece = _abbreviations(piece, ABBREVIATIONS_VI)
        # "Ông/bà" → "Ông bà": a slash between words is not read aloud.
        parts.append((re.sub(r"(?<=\w)/(?=\w)", " ", piece), False))
    return tuple(parts)


def _speakable_other(text: str, lang: str) -> str:
    try:
        from num2words import num2words
    except ImportError:  # pragma: no cover - num2words is a dependency
        return text

    def words(raw: str) -> str:
        try:
            value = float(raw) if "." in raw else int(raw)
            return str(num2words(value, lang=lang))
        except (NotImplementedError, ValueError, OverflowError):
            return raw

    def number(m: re.Match[str]) -> str:
        return words(m[0].replace(",", ""))

    def ticket(m: re.Match[str]) -> str:  # "U-012" → "U, zero one two", as in Vietnamese
        return f"{m[1]}, " + " ".join(words(digit) for digit in m[2])

    text = TICKET.sub(ticket, text)
    text = re.sub(r"(?<=\d)\s*(?:đồng|đ)(?!\w)", " dong", text)
    text = re.sub(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", number, text)
    text = _abbreviations(text, ABBREVIATIONS_EN)
    return re.sub(r"[ \t]+", " ", text).strip()
