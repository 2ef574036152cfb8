"""Every word the desk shows exists in both phrase packs with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cases.case import Delivery, Need, Priority
from cases.codec import PayloadError
from cases.journal import CHANNELS, SATISFACTION_ANSWERS
from cases.life import Status
from desk.service import ACTIONS, JOURNAL_FAULTS
from voices.phrases import load_pack

DESK = Path(__file__).resolve().parents[2] / "desk"


def used_ids() -> set[str]:
    ids: set[str] = set()
    for path in [*DESK.glob("*.py"), *DESK.glob("templates/*.html")]:
        ids |= set(re.findall(r"[\"'](desk_[a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    ids = {i for i in ids if not i.endswith("_")}  # prefixes of built ids
    ids |= {f"desk_{action}_button" for action in ACTIONS}
    for values, prefix in (
        ([str(p) for p in Priority], "desk_priority_"),
        ([str(n) for n in Need], "desk_need_"),
        ([str(d) for d in Delivery], "desk_delivery_"),
        (CHANNELS, "desk_channel_"),
        (SATISFACTION_ANSWERS, "desk_satisfaction_"),
        ([str(s) for s in Status], "desk_status_"),
        (JOURNAL_FAULTS, "desk_journal_"),
        ([*PayloadError.REASONS, "empty"], "desk_refused_"),
    ):
        ids |= {prefix + v for v in values}
    return ids


def test_the_desk_uses_ids_that_are_found_in_the_source() -> None:
    assert {"desk_call_announce", "desk_refused_title", "desk_summary_intro"} <= used_ids()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_desk_id_exists(lang: str) -> None:
    pack = load_pack(lang)
    assert sorted(used_ids() - pack.ids) == []


def test_both_languages_have_the_same_desk_ids_and_placeholders() -> None:
    vi, en = load_pack("vi"), load_pack("en")
    vi_ids = {i for i in vi.ids if i.startswith("desk_")}
    en_ids = {i for i in en.ids if i.startswith("desk_")}
    assert vi_ids == en_ids
    assert [i for i in vi_ids if vi.placeholders_of(i) != en.placeholders_of(i)] == []


def test_the_hall_call_reads_as_the_centre_asks() -> None:
    phrase = load_pack("vi").get("desk_call_announce", ticket="U012", counter=2)
    assert phrase.screen == "Mời số U012 đến quầy 2."
    assert phrase.spoken.startswith("Xin mời số U012, đến quầy số 2.")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_terminal_screen_has_a_name_for_staff(lang: str) -> None:
    """A call for staff names the screen the resident was on (``Desk.screen_label``)."""
    from terminal.screens import SCREENS

    pack = load_pack(lang)
    assert sorted(f"desk_screen_{name}" for name in SCREENS if
                  f"desk_screen_{name}" not in pack.ids) == []
