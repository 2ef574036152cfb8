"""The phrase catalogue is complete: every id of every pack file exists in every language, with
the same placeholders, in the same file; the global commands carry voice phrasings."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from voices.out import RATE_STEPS, VOLUME_STEPS
from voices.phrases import PACKS_DIR, PhraseError, available_languages, load_pack, load_pack_from

LANGS = ("vi", "en")
PREFIXES = (
    "button_",
    "title_",
    "prompt_",
    "warning_",
    "error_",
    "help_",
    "slip_",
    "desk_",
    "speech_",
    "command_",
)
COMMANDS = (
    "command_repeat",
    "command_slower",
    "command_faster",
    "command_louder",
    "command_softer",
    "command_back",
    "command_start_over",
    "command_call_staff",
    "command_stop",
    "command_help",
)
ANSWERS = ("button_yes", "button_no")


def _file_ids(lang: str) -> dict[str, set[str]]:
    """File name → ids it defines, read straight from YAML (independent of the loader)."""
    result = {}
    for path in sorted((PACKS_DIR / lang).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        result[path.name] = set(data)
    return result


def test_both_languages_are_shipped() -> None:
    assert set(LANGS) <= set(available_languages())


@pytest.mark.parametrize("lang", LANGS)
def test_pack_loads_without_errors(lang: str) -> None:
    load_pack_from(PACKS_DIR / lang, lang)  # raises PhraseError naming the file and id


def test_every_pack_file_exists_in_every_language() -> None:
    files = {lang: set(_file_ids(lang)) for lang in LANGS}
    assert files["vi"] == files["en"], "pack files differ between vi and en"


@pytest.mark.parametrize("name", sorted(p.name for p in (PACKS_DIR / "vi").glob("*.yaml")))
def test_every_id_of_a_file_exists_in_every_language(name: str) -> None:
    ids = {lang: _file_ids(lang).get(name, set()) for lang in LANGS}
    missing_en = sorted(ids["vi"] - ids["en"])
    missing_vi = sorted(ids["en"] - ids["vi"])
    assert not missing_en, f"en/{name} lacks {missing_en}"
    assert not missing_vi, f"vi/{name} lacks {missing_vi}"


def test_every_id_uses_the_same_placeholders_in_every_language() -> None:
    packs = {lang: load_pack(lang) for lang in LANGS}
    differing = [
        (pid, sorted(packs["vi"].placeholders_of(pid)), sorted(packs["en"].placeholders_of(pid)))
        for pid in sorted(packs["vi"].ids & packs["en"].ids)
        if packs["vi"].placeholders_of(pid) != packs["en"].placeholders_of(pid)
    ]
    assert not differing, f"placeholders differ (id, vi, en): {differing}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_id_starts_with_a_known_role(lang: str) -> None:
    bad = sorted(pid for pid in load_pack(lang).ids if not pid.startswith(PREFIXES))
    assert not bad, f"ids without a role prefix {PREFIXES}: {bad}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_is_nfc_and_not_empty(lang: str) -> None:
    pack = load_pack(lang)
    for pid in pack.ids:
        params = {name: "1" for name in pack.placeholders_of(pid)}
        phrase = pack.get(pid, **params)
        for text in (phrase.screen, phrase.spoken, *phrase.say):
            assert text.strip(), f"{lang}: {pid} has an empty text"
            assert unicodedata.is_normalized("NFC", text), f"{lang}: {pid} is not NFC"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("phrase_id", COMMANDS + ANSWERS)
def test_global_commands_have_voice_phrasings(lang: str, phrase_id: str) -> None:
    phrase = load_pack(lang).get(phrase_id)
    assert phrase.screen
    assert len(phrase.say) >= 2, f"{lang}: {phrase_id} needs several spoken phrasings"


@pytest.mark.parametrize("lang", LANGS)
def test_a_spoken_phrasing_chooses_only_one_command(lang: str) -> None:
    pack = load_pack(lang)
    owner: dict[str, str] = {}
    for pid in COMMANDS + ANSWERS:
        for said in pack.get(pid).say:
            key = said.casefold()
            assert key not in owner, f"{lang}: {said!r} is in both {owner.get(key)} and {pid}"
            owner[key] = pid


def test_vietnamese_yes_no_phrasings_cover_the_common_answers() -> None:
    pack = load_pack("vi")
    assert {"có", "có rồi", "rồi", "vâng", "dạ có", "ừ"} <= set(pack.get("button_yes").say)
    assert {"không", "chưa", "chưa có", "không có"} <= set(pack.get("button_no").say)


@pytest.mark.parametrize("lang", LANGS)
def test_every_rate_and_volume_level_has_a_spoken_confirmation(lang: str) -> None:
    pack = load_pack(lang)
    rates = {
        pack.spoken("speech_rate_level", level=i + 1, count=len(RATE_STEPS))
        for i in range(len(RATE_STEPS))
    }
    volumes = {
        pack.spoken("speech_volume_level", level=i + 1, count=len(VOLUME_STEPS))
        for i in range(len(VOLUME_STEPS))
    }
    assert len(rates) == len(RATE_STEPS)
    assert len(volumes) == len(VOLUME_STEPS)
    for pid in (
        "speech_rate_slowest",
        "speech_rate_fastest",
        "speech_volume_softest",
        "speech_volume_loudest",
        "speech_voice_input_off",
        "error_speech_unavailable",
    ):
        assert pack.spoken(pid)


def test_a_missing_id_in_one_file_is_reported(tmp_path: Path) -> None:
    """The loader names the file and the id when an entry is malformed."""
    (tmp_path / "common.yaml").write_text("button_yes: {spoken: có}\n", encoding="utf-8")
    with pytest.raises(PhraseError, match=r"common.yaml: button_yes"):
        load_pack_from(tmp_path, "vi")
