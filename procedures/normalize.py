"""Vietnamese text normalisation for matching what a resident says or types to a procedure.

The same pipeline runs on the catalogue's texts and on the query, so every rule only has to make
two ways of saying a thing end up as the same words. In reading order:

1. ``clean``: NFC, case folding, punctuation to spaces, whitespace collapsed.
2. ``canonical``: regional spellings and everyday words rewritten to the official terms
   (``sanh`` → ``sinh``, ``hộ khẩu`` → ``thường trú``, ``sổ đỏ`` → ``giấy chứng nhận quyền sử
   dụng đất``, ``lấy vợ`` → ``kết hôn`` ...), longest phrase first, on whole words only.
   The words are data: ``procedures/everyday/variants.yaml`` (see ``procedures.everyday``).
3. filler words and polite particles dropped (``ạ``, ``ơi``, ``nhé``, ``cho tôi hỏi``,
   ``thế nào`` ...): ``procedures/everyday/fillers.yaml``.
4. ``fold``: diacritics removed (``đ`` → ``d``), so text typed without accents meets the same
   words. Rewrites that are safe without accents run again on the folded text, which is how
   ``lam so do lan dau`` reaches ``giay chung nhan quyen su dung dat lan dau``.

``normalize(text)`` runs all four and returns the words joined by single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from procedures.everyday import Everyday, shipped_everyday

__all__ = [
    "FILLERS",
    "REWRITES",
    "Lexicon",
    "canonical",
    "clean",
    "fold",
    "has_diacritics",
    "lexicon",
    "nfc",
    "normalize",
    "parts",
    "words",
]


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
    if not ordered:
        return re.compile(r"(?!x)x")  # matches nothing
    alternation = "|".join(re.escape(k) for k in ordered)
    return re.compile(rf"(?<!\S)(?:{alternation})(?!\S)")


# "mất" means died after a person ("bố tôi mất") and lost before or after a paper ("làm mất
# giấy khai sinh", "giấy bị mất"); only the first is rewritten to "chết".
_LOST_BEFORE = frozenset(["làm", "bị", "đánh", "thất", "giấy", "sổ", "bản", "thẻ", "bằng"])
_PAPERS_AFTER = frozenset(
    ["giấy", "sổ", "bản", "thẻ", "bằng", "hồ", "căn", "tiền", "chứng", "trích", "tờ", "bìa"]
)


class Lexicon:
    """The rewrite and filler tables of one ``Everyday`` (``procedures.everyday``), compiled."""

    def __init__(self, everyday: Everyday) -> None:
        accented: dict[str, str] = {}
        folded: dict[str, str] = {}
        for variant in everyday.variants:
            # The official words map to themselves, so a rule never rewrites its own result
            # ("nhận cha mẹ con" stays, instead of "nhận cha" inside it being expanded again).
            value = clean(variant.official)
            for key in (*variant.everyday, variant.official):
                k = clean(key)
                accented[k] = value
                if variant.unaccented:
                    folded[fold(k)] = fold(value)
        self.rewrites = accented
        self.folded_rewrites = folded
        self.accented_re = _phrase_pattern(accented)
        self.folded_re = _phrase_pattern(folded)
        fillers = {clean(f) for f in everyday.fillers}
        self.fillers = fillers
        # Multi-word fillers typed without accents ("cho toi hoi") join the first pass, so that
        # the phrase is removed whole before its single words ("cho") are.
        self.filler_re = _phrase_pattern(fillers | {fold(f) for f in fillers if " " in f})
        # Folded fillers: a filler whose folded form is also a content word stays ("đang" folds
        # to "dang" as in "dang ky", "cần" to "can" as in "can ngheo", "đó" to "do" as in "so do").
        self.folded_filler_re = _phrase_pattern(
            {fold(f) for f in fillers} - everyday.keep_unaccented
        )
        self.died_words = tuple(tuple(clean(w).split()) for w in everyday.died_after_person)
        self.persons = frozenset(clean(w) for w in everyday.persons)
        focus = everyday.focus
        marks = {
            "negation": focus.negation,
            "request": focus.request,
            "background": focus.background,
            "plain": focus.breaks,
        }
        self.marks: dict[tuple[str, ...], str] = {}
        for part, phrases in marks.items():
            for phrase in phrases:
                self.marks.setdefault(tuple(clean(phrase).split()), part)
        self.longest_mark = max((len(k) for k in self.marks), default=0)

    def mark_died(self, text: str) -> str:
        """Words meaning "died" right after a person (``died_after_person``) become "chết"."""
        ws = text.split()
        out: list[str] = []
        i = 0
        while i < len(ws):
            for phrase in self.died_words:
                n = len(phrase)
                if tuple(ws[i : i + n]) != phrase:
                    continue
                before = ws[max(0, i - 4) : i]
                after = ws[i + n] if i + n < len(ws) else ""
                if before and before[-1] in _LOST_BEFORE or after in _PAPERS_AFTER:
                    continue
                if any(b in self.persons for b in before):
                    out.append("chết")
                    i += n
                    break
            else:
                out.append(ws[i])
                i += 1
        return " ".join(out)


NEGATED_WORDS = 4
"""How many words after a negation ("chứ không phải ...") are left out, at most."""
_CLAUSE = re.compile(r"[.,;:!?…\n]+")


def parts(
    text: str,
    lex: Lexicon | None = None,
    fix: Callable[[list[str]], list[str]] | None = None,
) -> list[tuple[str, str]]:
    """A request split into ``(kind, cleaned words)`` parts, in order: ``request`` (what the
    resident asks for), ``background`` (the story), ``plain``. Parts end at commas and full
    stops and begin at the words of ``focus.yaml`` (a word of the part's own kind goes on
    with it: "muốn xin" is one request); the words after a negation ("chứ không
    phải bản sao", up to ``NEGATED_WORDS``) are left out. ``fix`` puts each clause's misheard
    words right first (the matcher's sound-alikes), so "đang lảnh" still starts a background.

    >>> parts("Bà tôi đang lãnh tiền già, tôi xin tiền mai táng chứ không phải gì khác")
    [('plain', 'bà tôi'), ('background', 'đang lãnh tiền già'), ('plain', 'tôi'), \
('request', 'xin tiền mai táng')]
    """
    lex = lex or lexicon()
    out: list[tuple[str, str]] = []
    for clause in _CLAUSE.split(text):
        ws = clean(clause).split()
        ws = lex.mark_died(" ".join(fix(ws) if fix else ws)).split()  # "bà ... mất": "chết"
        kind, current, skip = "plain", [], 0
        i = 0
        while i < len(ws):
            found = None
            for n in range(min(lex.longest_mark, len(ws) - i), 0, -1):
                found = lex.marks.get(tuple(ws[i : i + n]))
                if found:
                    break
            if skip and not found:
                skip -= 1
                i += 1
                continue
            if found == kind and current and not skip:  # "muốn xin ...": one request part
                current += ws[i : i + n]
                i += n
                continue
            if found:
                skip = 0
                if current:
                    out.append((kind, " ".join(current)))
                current = []
                if found == "negation":
                    kind, skip = "plain", NEGATED_WORDS
                    i += n
                    continue
                kind = found
                current = ws[i : i + n]
                i += n
                continue
            current.append(ws[i])
            i += 1
        if current:
            out.append((kind, " ".join(current)))
    return out


_SHIPPED: Lexicon | None = None


def lexicon() -> Lexicon:
    """The shipped everyday-language data, compiled once."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = Lexicon(shipped_everyday())
    return _SHIPPED


def canonical(text: str, lex: Lexicon | None = None) -> str:
    """Step 2 on cleaned text: regional and everyday words rewritten to the official ones."""
    lex = lex or lexicon()
    text = lex.mark_died(text)
    # twice: a rewrite can complete a longer phrase ("ra khỏi hộ ngèo" → "... hộ nghèo" →
    # "thoát nghèo"); official words rewrite to themselves, so a second pass changes no more
    for _ in range(2):
        text = lex.accented_re.sub(lambda m: lex.rewrites[m.group(0)], text)
    return text


def _squash(text: str) -> str:
    return " ".join(text.split())


def normalize(text: str, *, folded: bool = True, lex: Lexicon | None = None) -> str:
    """The whole pipeline: cleaned, rewritten, fillers dropped, folded (ASCII words, one space).

    With ``folded=False`` the last step is skipped and the words keep their diacritics (used
    when the query was typed with accents, so "công nhân" and "công nhận" stay apart).

    >>> normalize("Cho tôi hỏi làm sổ đỏ lần đầu thế nào ạ?")
    'cap giay chung nhan quyen su dung dat lan dau'
    >>> normalize("lam so do lan dau")
    'cap giay chung nhan quyen su dung dat lan dau'
    """
    lex = lex or lexicon()
    text = clean(text)
    text = canonical(text, lex)
    text = _squash(lex.filler_re.sub(" ", text))
    if not folded:
        return text
    text = fold(text)
    for _ in range(2):  # twice, as ``canonical`` ("ra khoi ho ngeo" → ... "thoat ngheo")
        text = lex.folded_re.sub(lambda m: lex.folded_rewrites[m.group(0)], text)
    return _squash(lex.folded_filler_re.sub(" ", text))


REWRITES: dict[str, str] = lexicon().rewrites
"""The shipped accented rewrites (everyday words → official words), keys and values cleaned."""
FILLERS: tuple[str, ...] = tuple(sorted(lexicon().fillers))
"""The shipped filler words and phrases, cleaned."""
