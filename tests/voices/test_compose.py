"""Clip ids and the composition of speech from clips: phrases, catalogue texts, number pieces."""

from __future__ import annotations

import pytest

from procedures.catalogue import load_catalogue
from procedures.spoken import spoken_sections
from voices.compose import (
    NUMBER_PIECES,
    CatalogueSection,
    Composer,
    PlayClip,
    Silence,
    Synth,
    clip_ids,
    realise,
    text_clip_id,
)
from voices.phrases import load_pack
from voices.reading import speakable


@pytest.fixture(scope="module")
def sections() -> tuple[CatalogueSection, ...]:
    cat = load_catalogue()
    return tuple(
        CatalogueSection(*s) for s in spoken_sections(cat.groups, cat.procedures.values())
    )


@pytest.fixture(scope="module")
def composer(sections: tuple[CatalogueSection, ...]) -> Composer:
    return Composer(load_pack("vi"), "north", sections)


def everything(composer: Composer):  # noqa: ANN201
    """``has`` for a pack that holds every clip of the script."""
    script = {e.id: e.text for e in composer.script()}
    return lambda clip_id, text: script.get(clip_id) == text


def nothing(clip_id: str, text: str) -> bool:  # noqa: ARG001
    return False


def played(composer: Composer, text: str, phrase_id: str | None = None) -> list[str]:
    segments = realise(composer.plan(text, phrase_id), everything(composer))
    return [s.id if isinstance(s, PlayClip) else repr(s) for s in segments]


NUMBERS_NORTH = [
    ("Giấy tờ 4 trên 6", "title_paper", ["title_paper.1", "num_4", "word_tren", "num_6"]),
    ("Trang 2 trên 3.", "prompt_page", ["prompt_page.1", "num_2", "word_tren", "num_3"]),
    ("21", None, ["num_2", "num_tens", "num_1_mot"]),
    ("24", None, ["num_2", "num_tens", "num_4_tu"]),
    ("25", None, ["num_2", "num_tens", "num_5_lam"]),
    ("15", None, ["num_10", "num_5_lam"]),
    ("105", None, ["num_1", "num_hundred", "num_linh", "num_5"]),
    ("2026", None, ["num_2", "num_thousand", "num_0", "num_hundred", "num_2", "num_tens",
                    "num_6"]),
    ("20.000 đ", None, ["num_2", "num_tens", "num_thousand", "word_dong"]),
    ("1.500.000 đồng", None, ["num_1", "num_million", "num_5", "num_hundred", "num_thousand",
                              "word_dong"]),
    ("U012", None, ["letter_u", "Silence(seconds=0.15)", "num_0", "num_1", "num_2"]),
    ("A-105", None, ["letter_a", "Silence(seconds=0.15)", "num_1", "num_0", "num_5"]),
    ("Q-007", None, ["letter_q", "Silence(seconds=0.15)", "num_0", "num_0", "num_7"]),
    ("Số 7", None, ["word_so", "num_7"]),  # a number word beside a number, capitalised or not
    ("Năm 2026", None, ["num_5", "num_2", "num_thousand", "num_0", "num_hundred", "num_2",
                        "num_tens", "num_6"]),
    ("5/4", None, ["word_ngay", "word_mung", "num_5", "word_thang", "num_4_tu"]),
    ("7:30", None, ["num_7", "word_gio", "num_3", "num_tens", "word_phut"]),
    ("50%", None, ["num_5", "num_tens", "word_phan", "num_hundred"]),
    ("In lúc 09:05, ngày 23/11/2026.", None, [
        "slip_printed_at.1", "num_9", "word_gio", "num_5", "word_phut", "Silence(seconds=0.15)",
        "word_ngay", "num_2", "num_tens", "num_3", "word_thang", "num_10", "num_1", "num_5",
        "num_2", "num_thousand", "num_0", "num_hundred", "num_2", "num_tens", "num_6"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "phrase_id", "clips"), NUMBERS_NORTH)
def test_numbers_are_composed_from_recorded_pieces(
    composer: Composer, text: str, phrase_id: str | None, clips: list[str]
) -> None:
    assert played(composer, text, phrase_id) == clips


def test_a_short_menu_is_number_pieces_and_each_labels_own_clip(composer: Composer) -> None:
    """"Bấm 1 Hộ tịch, 2 Đúng, in phiếu, 3 Giấy này là gì, 4 Nghe kém, Đã chọn.": each item's number
    from pieces, its label from the label's clip (a catalogue name's text clip, a phrase's clip,
    with or without its full stop; a label may hold a comma), a comma's pause between items."""
    pack = composer.pack
    labels = ["Hộ tịch", pack.spoken("button_confirm_print"), "Giấy này là gì",
              f"{pack.spoken('button_need_hard_of_hearing')}, {pack.spoken('prompt_selected')}"]
    items = [{"number": n, "label": label} for n, label in zip((1, 2, 3, 4), labels, strict=True)]
    menu = pack.join("speech_menu", items).spoken
    assert menu == "Bấm 1 Hộ tịch, 2 Đúng, in phiếu, 3 Giấy này là gì, 4 Nghe kém, Đã chọn."
    assert pack.spoken("button_paper_details") == "Giấy này là gì?"
    pause = "Silence(seconds=0.15)"
    expected = ["speech_menu.1", "num_1", text_clip_id("vi", "Hộ tịch"), pause,
                "num_2", "button_confirm_print", pause, "num_3", "button_paper_details", pause,
                "num_4", "button_need_hard_of_hearing", pause, "prompt_selected"]  # fmt: skip
    assert played(composer, menu, "speech_menu") == expected
    assert played(composer, menu) == expected  # found by its words alone too
    assert set(clip_ids(composer.plan(menu))) <= {e.id for e in composer.script()}
    assert realise(composer.plan(menu), nothing) == (Synth(speakable(menu)),)


def test_the_southern_reading_uses_le_not_linh(sections: tuple[CatalogueSection, ...]) -> None:
    south = Composer(load_pack("vi"), "south", sections)
    assert played(south, "105") == ["num_1", "num_hundred", "num_le", "num_5"]
    ids = {e.id for e in south.script()}
    assert "num_le" in ids and "num_linh" not in ids


def test_without_any_clip_the_synthesis_is_exactly_the_reading_rules(
    composer: Composer, sections: tuple[CatalogueSection, ...]
) -> None:
    """Every phrase (filled with sample values) and every catalogue text: with no clips the
    voice says exactly what ``speakable`` says, as one utterance per item."""
    pack = composer.pack
    values = {
        "number": "4", "count": "6", "level": "3", "page": "2", "pages": "3", "ticket": "U012",
        "letter": "U", "time": "09:05", "date": "23/11/2026", "fee": "8.000 đồng một bản.",
        "label": "Hộ tịch: khai sinh", "phone": "0912 345 678", "name": "Đăng ký khai sinh",
    }  # fmt: skip
    items: list[tuple[str | None, str]] = []
    for pid in pack.ordered_ids:
        names = pack.placeholders_of(pid)
        items.append((pid, pack.spoken(pid, **{n: values.get(n, "Người cao tuổi") for n in names})))
    items += [(None, text) for s in sections for text in s.texts]
    for pid, text in items:
        for given in (pid, None):
            segments = realise(composer.plan(text, given), nothing)
            assert segments == (Synth(speakable(text)),), (pid, text)


def test_every_clip_a_catalogue_text_or_phrase_can_ask_for_is_in_the_script(
    composer: Composer, sections: tuple[CatalogueSection, ...]
) -> None:
    script = {e.id for e in composer.script()}
    pack = composer.pack
    texts = [t for s in sections for t in s.texts]
    texts += [pack.spoken(p) for p in pack.ordered_ids if not pack.placeholders_of(p)]
    texts += [f"Lệ phí: {t}" for t in texts[:50]] + ["Giấy tờ 12 trên 15", "Số 7: Xong."]
    for text in texts:
        asked = [cid for cid in clip_ids(composer.plan(text)) if not cid.startswith("desk_")]
        assert set(asked) <= script, text


def test_catalogue_texts_have_clips_by_hash_of_language_and_exact_text(
    composer: Composer, sections: tuple[CatalogueSection, ...]
) -> None:
    summary = sections[1].texts[2]
    cid = text_clip_id("vi", summary)
    assert cid.startswith("t_") and len(cid) == 18
    assert cid != text_clip_id("en", summary)
    assert cid == text_clip_id("vi", f" {summary} ")  # surrounding spaces do not count
    assert cid != text_clip_id("vi", summary.replace(".", "!", 1))
    assert played(composer, summary) == [cid]
    entry = next(e for e in composer.script() if e.id == cid)
    assert entry.text == summary and entry.section == "procedures"
    assert entry.group_key == sections[1].key


def test_a_changed_catalogue_text_no_longer_uses_its_old_clip(
    sections: tuple[CatalogueSection, ...],
) -> None:
    """The pack holds a clip recorded for the old text; the catalogue now says something else:
    the new text is synthesised, never spoken with the old recording."""
    old_text = sections[1].texts[2]
    new_text = old_text.replace(".", ", mang theo căn cước.", 1)
    recorded = {text_clip_id("vi", old_text): old_text}

    def has(clip_id: str, text: str) -> bool:
        return recorded.get(clip_id) == text

    before = Composer(load_pack("vi"), "north", sections)
    assert realise(before.plan(old_text), has) == (PlayClip(text_clip_id("vi", old_text)),)
    changed = tuple(
        CatalogueSection(s.key, s.title, tuple(new_text if t == old_text else t for t in s.texts))
        for s in sections
    )
    after = Composer(load_pack("vi"), "north", changed)
    assert realise(after.plan(new_text), has) == (Synth(speakable(new_text)),)
    assert text_clip_id("vi", old_text) not in {e.id for e in after.script()}


def test_a_phrase_clip_is_used_only_for_the_text_it_was_recorded_for(composer: Composer) -> None:
    text = composer.pack.spoken("prompt_survey")
    recorded = {"prompt_survey": "Ông bà có vui lòng không?"}  # recorded before a rewording
    segments = realise(composer.plan(text, "prompt_survey"), lambda c, t: recorded.get(c) == t)
    assert segments == (Synth(speakable(text)),)


def test_phrases_with_the_same_words_share_one_clip(composer: Composer) -> None:
    """"Hướng dẫn" is both the help screen's title and the help button: one recording."""
    assert composer.canonical("title_help") == "command_help"
    assert played(composer, "Hướng dẫn", "title_help") == ["command_help"]
    entry = next(e for e in composer.script() if e.id == "command_help")
    assert "title_help" in entry.also
    assert "title_help" not in {e.id for e in composer.script()}


def test_recorded_and_synthesised_pieces_alternate_in_one_sentence(composer: Composer) -> None:
    """Only "Giấy tờ" and "trên" recorded: the numbers are synthesised, each as its own
    stretch between the clips."""
    have = {"title_paper.1": "Giấy tờ", "word_tren": "trên"}
    segments = realise(composer.plan("Giấy tờ 4 trên 6"), lambda c, t: have.get(c) == t)
    assert segments == (PlayClip("title_paper.1"), Synth("bốn"), PlayClip("word_tren"),
                        Synth("sáu"))  # fmt: skip


def test_items_are_separate_utterances_with_a_pause_after_a_clip(composer: Composer) -> None:
    have = {"button_yes": "Có"}
    items = [("button_yes", "Có"), (None, "Một."), (None, "Hai.")]
    segments = realise(composer.plan_items(items), lambda c, t: have.get(c) == t)
    assert segments == (PlayClip("button_yes"), Silence(0.3), Synth("Một."), Synth("Hai."))


def test_a_catalogue_text_said_as_a_sentence_of_its_own_is_its_clip(composer: Composer) -> None:
    """A name read alone, full stop and all ("Thẻ căn cước." on a service slip read aloud),
    plays the name's clip; unrecorded, it is synthesised as written."""
    paper = load_catalogue().get("1.001193").papers[0].short
    clip = text_clip_id("vi", paper)
    segments = realise(composer.plan(f"{paper}."), lambda c, t: (c, t) == (clip, paper))
    assert segments == (PlayClip(clip),)
    assert realise(composer.plan(f"{paper}."), nothing) == (Synth(speakable(f"{paper}.")),)


def test_without_synthesis_only_clips_remain(composer: Composer) -> None:
    have = {"word_tren": "trên"}
    segments = realise(composer.plan("Giấy tờ 4 trên 6"), lambda c, t: have.get(c) == t, False)
    assert segments == (PlayClip("word_tren"),)


def test_the_script_lists_visit_screens_in_order_then_procedures_then_numbers(
    composer: Composer, sections: tuple[CatalogueSection, ...]
) -> None:
    script = composer.script()
    order = [e.section for e in script]
    assert order.index("procedures") > max(i for i, s in enumerate(order) if s == "visit")
    assert order[-len(NUMBER_PIECES) + 1 :] == ["numbers"] * (len(NUMBER_PIECES) - 1)
    visit = [e.id for e in script if e.section == "visit"]
    assert visit.index("title_attract") < visit.index("title_home") < visit.index("title_thanks")
    assert len({e.id for e in script}) == len(script)
    ids = {e.id for e in script}
    assert "speech_number_1" not in ids  # only what residents may say
    assert not {"speech_courtesy_before", "speech_courtesy_after"} & ids  # "dạ", "ạ" too
    assert {e.group_key for e in script if e.section == "procedures"} == {s.key for s in sections}


def test_a_papers_alternatives_on_the_slip_are_their_names_joined_by_the_or_clip(
    composer: Composer,
) -> None:
    """The slip's "Chỉ cần một trong các thứ: Căn cước, hoặc tài khoản VNeID mức 2, ...": every
    alternative's name is a catalogue clip (as on its own button and inside a sentence), and the
    joining "hoặc" is the slip_or phrase's clip; nothing is left to the synthesiser."""
    identity = load_catalogue().procedures["1.001193"].papers[2]
    names = [identity.alternatives[0].name, *(a.in_sentence for a in identity.alternatives[1:])]
    pack = composer.pack
    text = pack.spoken("slip_any_of", alternatives=f", {pack.screen('slip_or')} ".join(names))
    ids = played(composer, text, "slip_any_of")
    assert ids.count("slip_or") == len(names) - 1
    assert all(not i.startswith("Synth") for i in ids), ids
    for name in names:
        assert text_clip_id("vi", name) in ids
