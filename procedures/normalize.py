"""Vietnamese text normalisation for matching what a resident says or types to a procedure.

The same pipeline runs on the catalogue's texts and on the query, so every rule only has to make
two ways of saying a thing end up as the same words. In reading order:

1. ``clean``: NFC, case folding, punctuation to spaces, whitespace collapsed.
2. ``canonical``: regional spellings and everyday words rewritten to the official terms
   (``sanh`` → ``sinh``, ``hộ khẩu`` → ``thường trú``, ``sổ đỏ`` → ``giấy chứng nhận quyền sử
   dụng đất``, ``lấy vợ`` → ``kết hôn`` ...), longest phrase first, on whole words only.
3. filler words and polite particles dropped (``ạ``, ``ơi``, ``nhé``, ``cho tôi hỏi``,
   ``thế nào`` ...).
4. ``fold``: diacritics removed (``đ`` → ``d``), so text typed without accents meets the same
   words. Rewrites that are safe without accents run again on the folded text, which is how
   ``lam so do lan dau`` reaches ``giay chung nhan quyen su dung dat lan dau``.

``normalize(text)`` runs all four and returns the words joined by single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "FILLERS",
    "REWRITES",
    "canonical",
    "clean",
    "fold",
    "has_diacritics",
    "nfc",
    "normalize",
    "words",
]

# ---------------------------------------------------------------------------------------------
# Rewrites: (everyday or regional words, official words, safe without accents).
# "Safe without accents" means the folded key cannot be an ordinary different word: "đẻ" folds
# to "de", which is also "để" (in order to), so it is rewritten only when typed with accents.
# ---------------------------------------------------------------------------------------------
_REWRITE_GROUPS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    # regional and old spellings
    (("sanh",), "sinh", True),
    (("kí",), "ký", False),
    (("chữ kí",), "chữ ký", True),
    (("hoà",), "hòa", False),
    (("uỷ",), "ủy", False),
    (("thoả",), "thỏa", False),
    (("bảng sao", "bổn sao"), "bản sao", False),
    (("mần",), "làm", True),
    (("hổng", "hông"), "không", False),
    (("ba má", "bố mẹ", "tía má", "cha má"), "cha mẹ", False),
    (("bố", "ba", "tía"), "cha", False),
    (("má", "u", "bầm"), "mẹ", False),
    (("ổng",), "ông", False),
    (("bả",), "bà", False),
    (("dìa",), "về", False),
    # birth
    (("đẻ", "sinh đẻ"), "sinh", False),
    (("mới đẻ", "vừa đẻ", "mới sanh", "vừa sanh"), "mới sinh", True),
    (("em bé", "bé sơ sinh", "trẻ sơ sinh"), "trẻ", False),
    (("giấy khai sinh", "tờ khai sinh", "giấy khai sanh"), "giấy khai sinh", True),
    # death
    (
        (
            "qua đời",
            "từ trần",
            "tạ thế",
            "tử vong",
            "mất rồi",
            "đã mất",
            "mới mất",
            "vừa mất",
            "chết",
            "qua đời rồi",
            "khuất núi",
            "về với tổ tiên",
        ),
        "chết",
        False,
    ),
    (("qua đời", "từ trần", "tạ thế", "tử vong", "chết"), "chết", True),
    (("giấy chứng tử", "giấy báo tử", "báo tử", "chứng tử"), "khai tử", True),
    (
        ("chôn cất", "đám ma", "đám tang", "ma chay", "tang lễ", "làm ma", "tiền chôn"),
        "mai táng",
        True,
    ),
    (("tử tuất", "tiền tuất", "chế độ tuất"), "tuất", True),
    # marriage
    (
        (
            "lấy vợ",
            "lấy chồng",
            "cưới vợ",
            "cưới chồng",
            "cưới",
            "đám cưới",
            "cưới xin",
            "giấy hôn thú",
            "hôn thú",
            "giấy kết hôn",
            "giấy đăng ký kết hôn",
        ),
        "kết hôn",
        True,
    ),
    (
        (
            "độc thân",
            "giấy độc thân",
            "chưa kết hôn",
            "chưa có vợ",
            "chưa có chồng",
            "chưa vợ",
            "chưa chồng",
            "tình trạng hôn nhân",
        ),
        "tình trạng hôn nhân",
        True,
    ),
    # certification
    (("công chứng", "thị thực", "xác thực"), "chứng thực", True),
    (("phô tô", "photo", "pho to", "bản photo", "bản phô tô"), "bản sao", True),
    (
        ("sao y", "sao y bản chính", "công chứng bản sao", "sao y công chứng"),
        "chứng thực bản sao",
        True,
    ),
    (
        ("chuyển nhượng", "mua bán", "tặng cho", "cho tặng", "sang tên", "thế chấp"),
        "giao dịch",
        True,
    ),
    (("lăn tay", "in dấu vân tay", "điểm chỉ"), "điểm chỉ", True),
    (("chúc thư", "di chúc"), "di chúc", True),
    (("để lại", "thừa kế", "gia tài", "tài sản để lại", "đất để lại"), "di sản", True),
    (("chia di sản", "chia đất", "chia nhà"), "phân chia di sản", True),
    (("không nhận", "không lấy", "nhường lại"), "từ chối nhận", True),
    (("nhường",), "từ chối nhận", False),
    (
        (
            "thằng bé",
            "con bé",
            "đứa bé",
            "đứa nhỏ",
            "cháu bé",
            "bé",
            "trẻ em",
            "trẻ nhỏ",
            "thằng nhỏ",
            "thằng cu",
            "bé trai",
            "bé gái",
            "cháu nhỏ",
        ),
        "trẻ",
        False,
    ),
    (("cháu nội", "cháu ngoại"), "cháu", False),
    (("đang ở", "đang sống", "sinh sống", "nơi ở", "chỗ ở"), "cư trú", False),
    # correction, recognition, guardianship
    (("sửa", "sửa lại", "ghi sai", "bị sai", "viết sai", "sai"), "cải chính", False),
    (
        ("nhận con", "nhận cha", "nhận mẹ", "nhận lại con", "ngoài giá thú", "con rơi"),
        "nhận cha mẹ con",
        True,
    ),
    (("người giám hộ", "giám hộ", "đỡ đầu"), "giám hộ", True),
    # social protection
    (("tàn tật", "tật nguyền", "tàn phế", "bị tật", "khuyết tật"), "khuyết tật", True),
    (("bại não", "tâm thần", "thiểu năng", "liệt", "câm", "điếc", "mù"), "khuyết tật", False),
    (("tiền trợ cấp", "tiền hỗ trợ", "trợ giúp", "phụ cấp", "tiền chế độ"), "trợ cấp", True),
    (("hàng tháng", "mỗi tháng", "hằng tháng"), "hằng tháng", False),
    (("hàng năm", "mỗi năm", "hằng năm"), "hằng năm", False),
    (("người già", "người cao tuổi", "cụ già", "tuổi già"), "người cao tuổi", False),
    (("lương hưu",), "lương hưu", True),
    (("mồ côi",), "mồ côi", True),
    # poverty
    (
        ("ra khỏi hộ nghèo", "thoát khỏi hộ nghèo", "hết nghèo", "không còn nghèo", "khá lên"),
        "thoát nghèo",
        True,
    ),
    (("sổ hộ nghèo", "giấy hộ nghèo"), "hộ nghèo", True),
    # people with merit
    (
        (
            "thương binh",
            "bệnh binh",
            "liệt sĩ",
            "liệt sỹ",
            "có công cách mạng",
            "có công",
            "cựu chiến binh",
            "người có công với cách mạng",
        ),
        "người có công",
        True,
    ),
    # land
    (
        (
            "sổ đỏ",
            "sổ hồng",
            "bìa đỏ",
            "bìa hồng",
            "sổ đất",
            "giấy tờ nhà đất",
            "giấy tờ nhà",
            "giấy nhà",
            "giấy tờ đất",
            "giấy đỏ",
            "sổ nhà đất",
        ),
        "giấy chứng nhận quyền sử dụng đất",
        True,
    ),
    (("làm sổ", "cấp sổ", "làm bìa", "xin sổ"), "cấp giấy chứng nhận", True),
    (
        ("làm sổ đỏ", "cấp sổ đỏ", "làm bìa đỏ", "xin sổ đỏ", "làm sổ hồng", "cấp sổ hồng"),
        "cấp giấy chứng nhận quyền sử dụng đất",
        True,
    ),
    (
        (
            "miếng đất",
            "mảnh đất",
            "lô đất",
            "thửa đất",
            "nhà đất",
            "đất đai",
            "ruộng đất",
            "đất vườn",
            "đất ở",
            "thổ cư",
        ),
        "đất",
        False,
    ),
    (
        (
            "lấn đất",
            "lấn chiếm",
            "lấn ranh",
            "lấn sang",
            "ranh giới",
            "mốc giới",
            "cãi nhau",
            "tranh chấp",
        ),
        "tranh chấp",
        True,
    ),
    (("hoà giải", "hòa giải", "giảng hòa"), "hòa giải", True),
    # residence (commune police)
    (
        (
            "nhập hộ khẩu",
            "nhập khẩu",
            "đăng ký hộ khẩu",
            "chuyển hộ khẩu",
            "chuyển khẩu",
            "làm hộ khẩu",
            "hộ khẩu",
        ),
        "thường trú",
        True,
    ),
    (
        (
            "cắt hộ khẩu",
            "cắt khẩu",
            "rút hộ khẩu",
            "rút khẩu",
            "xóa hộ khẩu",
            "xoá hộ khẩu",
            "xóa tên trong hộ khẩu",
            "xóa tên khỏi hộ khẩu",
        ),
        "xóa thường trú",
        True,
    ),
    (("xoá",), "xóa", False),
    (("ct07", "ct 07", "giấy xác nhận cư trú"), "xác nhận cư trú", True),
)

FILLERS: tuple[str, ...] = (
    "anh ơi",
    "chị ơi",
    "em ơi",
    "cô ơi",
    "chú ơi",
    "bác ơi",
    "cán bộ ơi",
    "cho tôi hỏi",
    "cho em hỏi",
    "cho cháu hỏi",
    "cho con hỏi",
    "cho hỏi",
    "xin hỏi",
    "tôi muốn hỏi",
    "làm thế nào",
    "như thế nào",
    "thế nào",
    "làm sao",
    "ra sao",
    "sao đây",
    "ở đâu",
    "chỗ nào",
    "được không",
    "có được không",
    "bây giờ",
    "hiện giờ",
    "giờ",
    "muốn",
    "cần",
    "ạ",
    "ơi",
    "à",
    "ư",
    "nhé",
    "nha",
    "nhá",
    "nhỉ",
    "hả",
    "vậy",
    "dzậy",
    "thế",
    "đó",
    "đấy",
    "giúp",
    "giùm",
    "dùm",
    "làm ơn",
    "tôi",
    "tui",
    "tớ",
    "mình",
    "chúng tôi",
    "của",
    "cho",
    "là",
    "thì",
    "mà",
    "và",
    "với",
    "các",
    "những",
    "mấy",
    "cái",
    "gì",
    "rồi",
    "nữa",
    "luôn",
    "hết",
    "xong",
    "đi",
    "phải",
    "nên",
    "đã",
    "đang",
    "sẽ",
    "vì",
    "để",
    "thì",
    "nó",
    "quá",
    "lắm",
    "rất",
    "ai",
)
"""Filler words, polite particles and pronouns that carry no meaning for choosing a procedure.
Longest first does not matter here: phrases are removed before single words."""


def nfc(text: str) -> str:
    """The NFC form of ``text`` (the catalogue's form)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """``text`` without diacritics: ``Đăng ký`` → ``Dang ky`` (ASCII for Vietnamese text)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def has_diacritics(text: str) -> bool:
    """True when ``text`` holds any letter that folding would change."""
    return fold(text) != text


_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def words(text: str) -> list[str]:
    """NFC, case-folded words of ``text``; punctuation and underscores split words."""
    return _PUNCT.sub(" ", nfc(text).casefold()).replace("_", " ").split()


def clean(text: str) -> str:
    """Step 1: NFC, case folded, punctuation removed, single spaces."""
    return " ".join(words(text))


def _phrase_pattern(keys: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(set(keys), key=lambda k: (-len(k.split()), -len(k), k))
    alternation = "|".join(re.escape(k) for k in ordered)
    return re.compile(rf"(?<!\S)(?:{alternation})(?!\S)")


def _build_tables() -> tuple[dict[str, str], dict[str, str]]:
    accented: dict[str, str] = {}
    folded: dict[str, str] = {}
    for keys, value, safe_folded in _REWRITE_GROUPS:
        # The official words map to themselves, so a rule never rewrites its own result
        # ("nhận cha mẹ con" stays, instead of "nhận cha" inside it being expanded again).
        for key in (*keys, value):
            k = clean(key)
            accented[k] = clean(value)
            if safe_folded:
                folded[fold(k)] = fold(clean(value))
    return accented, folded


REWRITES, _FOLDED_REWRITES = _build_tables()
"""Accented rewrites (everyday or regional words → official words), keys and values cleaned."""

_ACCENTED_RE = _phrase_pattern(REWRITES)
_FOLDED_RE = _phrase_pattern(_FOLDED_REWRITES)
_FILLER_SET = {clean(f) for f in FILLERS}
# Multi-word fillers typed without accents ("cho toi hoi") join the first pass, so that the
# phrase is removed whole before its single words ("cho") are.
_FILLER_RE = _phrase_pattern(_FILLER_SET | {fold(f) for f in _FILLER_SET if " " in f})
# Folded fillers: a filler whose folded form is also a content word stays ("đang" folds to
# "dang" as in "dang ky", "cần" to "can" as in "can ngheo", "đó" to "do" as in "so do").
_FOLDED_UNSAFE = frozenset(
    {"dang", "can", "do", "qua", "ma", "ba", "u", "cai", "vay", "lam", "to", "nen", "the"}
)
_FOLDED_FILLER_RE = _phrase_pattern({fold(f) for f in _FILLER_SET} - _FOLDED_UNSAFE)

# "mất" means died after a person ("bố tôi mất") and lost before or after a paper ("làm mất
# giấy khai sinh", "giấy bị mất"); only the first is rewritten to "chết".
_PERSONS = frozenset(
    [
        "cha",
        "mẹ",
        "bố",
        "má",
        "ba",
        "ông",
        "bà",
        "chồng",
        "vợ",
        "con",
        "anh",
        "chị",
        "em",
        "cụ",
        "người",
        "bác",
        "chú",
        "cô",
        "dì",
        "cậu",
        "mợ",
        "thím",
        "nội",
        "ngoại",
        "trai",
        "gái",
        "ổng",
        "bả",
    ]
)
_LOST_BEFORE = frozenset(["làm", "bị", "đánh", "thất", "giấy", "sổ", "bản", "thẻ", "bằng"])
_PAPERS_AFTER = frozenset(
    ["giấy", "sổ", "bản", "thẻ", "bằng", "hồ", "căn", "tiền", "chứng", "trích", "tờ", "bìa"]
)


def _died(text: str) -> str:
    ws = text.split()
    for i, w in enumerate(ws):
        if w != "mất":
            continue
        before = ws[max(0, i - 4) : i]
        after = ws[i + 1] if i + 1 < len(ws) else ""
        if before and before[-1] in _LOST_BEFORE:
            continue
        if after in _PAPERS_AFTER:
            continue
        if any(b in _PERSONS for b in before):
            ws[i] = "chết"
    return " ".join(ws)


def canonical(text: str) -> str:
    """Step 2 on cleaned text: regional and everyday words rewritten to the official ones."""
    text = _died(text)
    return _ACCENTED_RE.sub(lambda m: REWRITES[m.group(0)], text)


def _squash(text: str) -> str:
    return " ".join(text.split())


def normalize(text: str, *, folded: bool = True) -> str:
    """The whole pipeline: cleaned, rewritten, fillers dropped, folded (ASCII words, one space).

    With ``folded=False`` the last step is skipped and the words keep their diacritics (used
    when the query was typed with accents, so "công nhân" and "công nhận" stay apart).

    >>> normalize("Cho tôi hỏi làm sổ đỏ lần đầu thế nào ạ?")
    'cap giay chung nhan quyen su dung dat lan dau'
    >>> normalize("lam so do lan dau")
    'cap giay chung nhan quyen su dung dat lan dau'
    """
    text = clean(text)
    text = canonical(text)
    text = _squash(_FILLER_RE.sub(" ", text))
    if not folded:
        return text
    text = fold(text)
    text = _FOLDED_RE.sub(lambda m: _FOLDED_REWRITES[m.group(0)], text)
    return _squash(_FOLDED_FILLER_RE.sub(" ", text))
