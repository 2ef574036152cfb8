"""Grammar building and snapping (pure logic, no vosk)."""

from __future__ import annotations

import unicodedata

import pytest

from voices.grammar import (
    UNKNOWN_MARK,
    Courtesy,
    Grammar,
    GrammarError,
    Phrasing,
    build_grammar,
    collapse_repeats,
    expand,
    normalize,
    snap,
)
from voices.listen import Choice, command_choices
from voices.phrases import load_pack


def test_normalize_makes_decomposed_vietnamese_nfc_and_casefolded() -> None:
    decomposed = unicodedata.normalize("NFD", "Gọi CÁN BỘ")
    assert normalize(decomposed) == "gọi cán bộ"
    assert unicodedata.is_normalized("NFC", normalize(decomposed))


def test_normalize_removes_punctuation_and_collapses_spaces() -> None:
    assert normalize("  Có!  rồi...  ") == "có rồi"
    assert normalize("Ông/bà") == "ông bà"


def test_normalize_is_script_agnostic() -> None:
    assert normalize("아니요, 네!") == "아니요 네"
    assert normalize("ДА") == "да"


def test_normalize_turns_unknown_tokens_into_one_mark() -> None:
    assert normalize("[unk] có [UNK]") == f"{UNKNOWN_MARK} có {UNKNOWN_MARK}"


def test_expand_optional_and_alternatives_exact_set() -> None:
    assert set(expand("[làm] giấy (khai sinh|chứng tử)")) == {
        "làm giấy khai sinh",
        "giấy khai sinh",
        "làm giấy chứng tử",
        "giấy chứng tử",
    }


def test_expand_nested_groups() -> None:
    assert set(expand("có [(con|cháu) nhỏ]")) == {"có", "có con nhỏ", "có cháu nhỏ"}


def test_expand_plain_phrase_is_itself() -> None:
    assert expand("Nhắc lại") == ("nhắc lại",)


@pytest.mark.parametrize("bad", ["(a|b", "{slot}", "   "])
def test_expand_rejects_malformed_template(bad: str) -> None:
    with pytest.raises(GrammarError):
        expand(bad)


def test_expand_refuses_explosive_template() -> None:
    template = " ".join(f"(a{i}|b{i})" for i in range(10))  # 1024 sentences
    with pytest.raises(GrammarError, match="more than"):
        expand(template)


def test_build_grammar_error_names_the_intent() -> None:
    with pytest.raises(GrammarError, match="'two'"):
        build_grammar([Phrasing("one", ("một",)), Phrasing("two", ("(hai",))])


def test_build_grammar_reports_collision_and_drops_shared_sentence() -> None:
    grammar = build_grammar([Phrasing("yes", ("có", "vâng")), Phrasing("have", ("có", "có rồi"))])
    assert [(c.sentence, c.intents, c.winner) for c in grammar.collisions] == [
        ("có", ("have", "yes"), None)
    ]
    assert ("có", "yes") not in grammar.sentences
    assert ("có", "have") not in grammar.sentences
    assert set(grammar.sentences) == {("vâng", "yes"), ("có rồi", "have")}


def test_build_grammar_screen_choice_beats_global_command() -> None:
    grammar = build_grammar(
        [Phrasing("have", ("có rồi",)), Phrasing("button_yes", ("có rồi", "vâng"), -1)]
    )
    assert grammar.collisions[0].winner == "have"
    assert ("có rồi", "have") in grammar.sentences
    assert "keeps it" in str(grammar.collisions[0])


def test_build_grammar_collision_detected_through_templates() -> None:
    grammar = build_grammar([Phrasing("a", ("[đã] có",)), Phrasing("b", ("(có|chưa)",))])
    assert [c.sentence for c in grammar.collisions] == ["có"]


def test_vosk_phrases_adds_unknown_token_only_when_given() -> None:
    grammar = build_grammar([Phrasing("a", ("một",)), Phrasing("b", ("hai",))])
    assert grammar.vosk_phrases() == ["hai", "một"]
    assert grammar.vosk_phrases("[unk]") == ["hai", "một", "[unk]"]


def test_missing_words_lists_words_outside_the_vocabulary() -> None:
    grammar = build_grammar([Phrasing("a", ("gọi cán bộ",)), Phrasing("b", ("hai",))])
    vocabulary = {"gọi", "cán", "hai"}
    assert grammar.missing_words(vocabulary.__contains__) == {"a": ("bộ",)}


def _numbers() -> Grammar:
    return build_grammar(
        [Phrasing("1", ("một", "số một")), Phrasing("2", ("hai", "số hai")), Phrasing("3", ("ba",))]
    )


def test_snap_exact_sentence_scores_one() -> None:
    result = snap("Số hai", _numbers())
    assert (result.intent, result.sentence, result.score) == ("2", "số hai", 1.0)


def test_snap_near_transcript_snaps_to_nearest_sentence() -> None:
    result = snap("số hai hai", _numbers(), cutoff=0.7)
    assert result.intent == "2"


def test_snap_below_cutoff_gives_no_intent() -> None:
    result = snap("hôm nay trời đẹp quá", _numbers(), cutoff=0.75)
    assert result.intent is None
    assert result.score < 0.75


def test_snap_reports_runner_up_of_another_intent() -> None:
    result = snap("một", _numbers())
    assert result.runner_up in {"2", "3"}
    assert result.runner_up_score < result.score


def test_snap_on_empty_grammar() -> None:
    assert snap("một", Grammar(())).intent is None


def test_collapse_repeats_joins_an_answer_said_twice() -> None:
    assert collapse_repeats("có có rồi rồi") == "có rồi"
    assert snap("có có", build_grammar([Phrasing("y", ("có",))])).score == 1.0


def test_command_choices_are_the_packs_commands_and_yes_no() -> None:
    choices = command_choices(load_pack("vi"))
    intents = {c.intent for c in choices}
    assert {"button_yes", "button_no", "command_repeat", "command_call_staff"} <= intents
    assert all(i.startswith("command_") or i in {"button_yes", "button_no"} for i in intents)
    assert all(c.is_command and c.phrases for c in choices)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_global_commands_do_not_collide_with_each_other(lang: str) -> None:
    choices = command_choices(load_pack(lang))
    grammar = build_grammar([Phrasing(c.intent, c.phrases, -1) for c in choices])
    assert grammar.collisions == ()
    assert set(grammar.intents) == {c.intent for c in choices}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_pack_choice_with_the_global_commands_can_be_expressed(lang: str) -> None:
    """Each phrase-pack entry with say: (a screen choice) combined with the global commands
    builds, keeps at least one sentence for itself, and wins any sentence it shares."""
    pack = load_pack(lang)
    commands = command_choices(pack)
    command_ids = {c.intent for c in commands}
    for phrase_id in sorted(pack.ids - command_ids):
        say = pack.get(phrase_id, **{n: "" for n in pack.placeholders_of(phrase_id)}).say
        if not say:
            continue
        choice = Choice(phrase_id, say)
        grammar = build_grammar(
            [Phrasing(choice.intent, choice.phrases)]
            + [Phrasing(c.intent, c.phrases, -1) for c in commands]
        )
        assert phrase_id in grammar.intents, phrase_id
        for collision in grammar.collisions:
            assert collision.winner == phrase_id, str(collision)


# --- courtesy words ("dạ, có rồi ạ") ------------------------------------------------------------

POLITE = Courtesy.of(["Dạ", "dạ thưa"], ["ạ"])
PAPER = [Phrasing("have", ("có rồi", "đã có")), Phrasing("not", ("chưa có", "chưa"))]


def test_courtesy_core_sets_polite_words_aside_at_the_ends_only() -> None:
    assert POLITE.before == ("dạ", "dạ thưa")  # normalised as sentences are
    assert POLITE.core("dạ có rồi ạ") == "có rồi"
    assert POLITE.core("dạ thưa chưa có") == "chưa có"  # the longer phrase first
    assert POLITE.core("có dạ rồi") == "có dạ rồi"  # not inside the answer
    assert POLITE.core("dạ") == "dạ" and POLITE.core("dạ ạ") == "ạ"  # never to nothing
    assert Courtesy().core("dạ có") == "dạ có" and not Courtesy()


def test_vosk_phrases_hold_every_sentence_with_and_without_the_courtesy_words() -> None:
    grammar = build_grammar(PAPER[:1], POLITE)
    assert grammar.sentences == (("có rồi", "have"), ("đã có", "have"))  # checks run on these
    assert grammar.vosk_phrases() == [
        "có rồi", "có rồi ạ", "dạ có rồi", "dạ có rồi ạ",
        "dạ thưa có rồi", "dạ thưa có rồi ạ", "dạ thưa đã có", "dạ thưa đã có ạ",
        "dạ đã có", "dạ đã có ạ", "đã có", "đã có ạ",
    ]  # fmt: skip
    assert build_grammar(PAPER[:1]).vosk_phrases() == ["có rồi", "đã có"]
    assert {"dạ", "thưa", "ạ"} <= grammar.words  # so that no decoy is spelled like them


def test_snap_takes_an_answer_said_with_courtesy_words_as_the_answer() -> None:
    grammar = build_grammar([*PAPER, Phrasing("yes", ("dạ có",))], Courtesy.of(["dạ"], ["ạ"]))
    for heard, intent, sentence in [
        ("dạ có rồi ạ", "have", "có rồi"),
        ("dạ chưa ạ", "not", "chưa"),
        ("chưa có ạ ạ", "not", "chưa có"),
        ("dạ có", "yes", "dạ có"),  # a sentence of its own stays itself
    ]:
        s = snap(heard, grammar)
        assert (s.intent, s.sentence, s.score) == (intent, sentence, 1.0), heard
    assert snap("dạ có rồi ạ", build_grammar(PAPER)).score < 0.75  # without: out of grammar


def test_courtesy_that_could_turn_one_answer_into_another_is_left_out() -> None:
    """ "thưa" is one letter from "chưa" (not yet): "chưa có" could be decoded as "thưa, có"
    (have it). "vâng" is an answer itself. Both are left out of such a grammar only."""
    risky = Courtesy.of(["dạ", "thưa", "vâng"], ["ạ"])
    grammar = build_grammar([*PAPER, Phrasing("yes", ("vâng",))], risky)
    assert grammar.courtesy == Courtesy(("dạ",), ("ạ",))
    assert "thưa có" not in grammar.vosk_phrases()
    numbers = build_grammar([Phrasing("1", ("một",)), Phrasing("2", ("hai",))], risky)
    assert numbers.courtesy == risky  # nothing there sounds like them
    assert build_grammar([Phrasing("x", ("a",))], risky).courtesy.after == ()  # "a" and "ạ"


def test_missing_words_names_the_courtesy_words_the_model_lacks() -> None:
    grammar = build_grammar([Phrasing("a", ("hai",))], Courtesy.of(["dạ"], ["ạ"]))
    assert grammar.missing_words({"hai", "dạ"}.__contains__) == {"(courtesy words)": ("ạ",)}
