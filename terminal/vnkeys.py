"""An on-screen Vietnamese keyboard without Telex: letters, then the tone as a key of its own.

A touch-only resident taps the letters of a word ("hoa"), then the tone key she hears in the
word ("huyền") and gets "hoà"; tapping another tone key changes it, tapping the same one again
takes it off. No Telex or VNI rules to learn. Pure text functions, no Kivy; the window lays the
keys out (``LETTER_ROWS``, ``TONES``) and calls ``type_key``.

Where the tone goes (the traditional rule, as in school books): on the vowel with a mark of its
own (ă â ê ô ơ ư; in "ươ" on ơ); else, when a consonant ends the word, on the last vowel
("toán", "hoàn"); else on the middle of three vowels ("ngoài"), on the second of "oa", "oe",
"uy" ("hoà", "khoẻ", "thuỷ"), and on the first of other pairs ("mùa", "cái"). The "u" of "qu"
and the "i" of "gi" before another vowel belong to the consonant ("quý", "giá").
"""

from __future__ import annotations

import unicodedata

TONES: dict[str, str] = {
    "sac": "\u0301",
    "huyen": "\u0300",
    "hoi": "\u0309",
    "nga": "\u0303",
    "nang": "\u0323",
}
"""Tone key → the combining mark it puts on the word's main vowel."""
LETTER_ROWS: tuple[tuple[str, ...], ...] = (
    ("a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g"),
    ("h", "i", "k", "l", "m", "n", "o", "ô", "ơ", "p"),
    ("q", "r", "s", "t", "u", "ư", "v", "x", "y"),
)
"""The 29 letters of the Vietnamese alphabet in alphabet order (no Telex, no f j w z)."""
VOWELS = frozenset("aăâeêioôơuưy")
MARKED = frozenset("ăâêôơư")


def _strip_tone(word: str) -> tuple[str, str | None]:
    """(the word without its tone mark, the tone it had)."""
    tone = None
    out = []
    for ch in unicodedata.normalize("NFD", word):
        found = next((name for name, mark in TONES.items() if mark == ch), None)
        if found:
            tone = found
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def tone_position(word: str) -> int | None:
    """Index (in the NFC word without tone) of the vowel that carries the tone, or None."""
    low = word.lower()
    start = 0
    if low.startswith("qu") or (low.startswith("gi") and len(low) > 2 and low[2] in VOWELS):
        start = 2
    i = start
    while i < len(low) and low[i] not in VOWELS:
        i += 1
    if i >= len(low):
        return 1 if low.startswith("gi") and len(low) == 2 else None  # "gì"
    j = i
    while j < len(low) and low[j] in VOWELS:
        j += 1
    cluster = low[i:j]
    if "ươ" in cluster:
        return i + cluster.index("ươ") + 1
    marked = [k for k, ch in enumerate(cluster) if ch in MARKED]
    if marked:
        return i + marked[-1]
    if j < len(low):  # a consonant ends the word
        return j - 1
    if len(cluster) >= 3:
        return i + 1
    if len(cluster) == 2:
        return i + 1 if cluster in ("oa", "oe", "uy") else i
    return i


def add_tone(text: str, tone: str) -> str:
    """Put ``tone`` on the last word of ``text`` (the same tone again takes it off)."""
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; expected one of {sorted(TONES)}")
    head, _, last = text.rpartition(" ")
    if not last:
        return text
    bare, had = _strip_tone(last)
    pos = tone_position(bare)
    if pos is None:
        return text
    word = bare if had == tone else bare[: pos + 1] + TONES[tone] + bare[pos + 1 :]
    word = unicodedata.normalize("NFC", word)
    return f"{head} {word}" if head or text.startswith(" ") else word


def type_key(text: str, key: str) -> str:
    """The field's text after one on-screen key: ``char:x``, ``tone:sac``, ``space``,
    ``delete`` (the last character; nothing when empty)."""
    if key.startswith("char:"):
        return unicodedata.normalize("NFC", text + key[5:])
    if key.startswith("tone:"):
        return add_tone(text, key[5:])
    if key == "space":
        return text + " " if text and not text.endswith(" ") else text
    if key == "delete":
        return text[:-1]
    raise ValueError(f"unknown key {key!r}")
