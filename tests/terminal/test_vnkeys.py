"""The on-screen Vietnamese keyboard: letters, then the tone as its own key (no Telex)."""

from __future__ import annotations

import unicodedata

import pytest

from terminal.vnkeys import LETTER_ROWS, add_tone, type_key


def typed(*keys: str) -> str:
    text = ""
    for key in keys:
        text = type_key(text, key)
    return text


def letters(word: str) -> list[str]:
    return [f"char:{ch}" for ch in word]


@pytest.mark.parametrize(
    ("bare", "tone", "word"),
    [
        ("lam", "huyen", "làm"),
        ("giay", "sac", "giáy"),
        ("khai", "sac", "khái"),
        ("sinh", "nang", "sịnh"),
        ("hoa", "huyen", "hoà"),
        ("khoe", "hoi", "khoẻ"),
        ("thuy", "hoi", "thuỷ"),
        ("toan", "sac", "toán"),
        ("ngoai", "huyen", "ngoài"),
        ("mua", "huyen", "mùa"),
        ("cai", "sac", "cái"),
        ("quy", "sac", "quý"),
        ("gia", "sac", "giá"),
        ("gi", "huyen", "gì"),
        ("tiêng", "sac", "tiếng"),
        ("viêt", "nang", "việt"),
        ("đươc", "nang", "được"),
        ("nươc", "sac", "nước"),
        ("mơi", "sac", "mới"),
        ("ơ", "hoi", "ở"),
        ("thương", "nga", "thưỡng"),
    ],
)
def test_the_tone_goes_on_the_right_vowel(bare, tone, word):
    assert add_tone(bare, tone) == word
    assert unicodedata.is_normalized("NFC", add_tone(bare, tone))


def test_a_resident_types_a_request_without_telex():
    keys = [*letters("lam"), "tone:huyen", "space", *letters("giây"), "tone:sac", "space"]
    keys += [*letters("khai"), "space", *letters("sinh")]
    assert typed(*keys) == "làm giấy khai sinh"


def test_another_tone_replaces_it_and_the_same_tone_takes_it_off():
    assert typed(*letters("ma"), "tone:sac", "tone:huyen") == "mà"
    assert typed(*letters("ma"), "tone:sac", "tone:sac") == "ma"


def test_delete_space_and_tone_on_nothing_change_nothing_harmful():
    assert typed("delete") == ""
    assert typed("space") == ""
    assert typed("tone:sac") == ""
    assert typed(*letters("bc"), "tone:sac") == "bc"
    assert typed(*letters("ab"), "delete") == "a"


def test_the_keyboard_has_the_29_letters_of_the_alphabet():
    keys = [k for row in LETTER_ROWS for k in row]
    assert len(keys) == len(set(keys)) == 29
    assert not {"f", "j", "w", "z"} & set(keys)
