"""`hotro voices coverage`: clip counts and the human share of scripted visits replayed through
the real dialogue, catalogue and phrase packs; the language screen offers packs that cover
enough; the doctor reports it in one line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from terminal import dialogue as d
from terminal.config import Config, parse_config
from terminal.coverage import Surveyor, measure, offered_voices
from terminal.doctor import check_recorded_voice
from terminal.ports import FakeClock, FakeJournal, FakePrinter, FakeSpeaker, fake_encode
from terminal.session import Ports, Session
from terminal.wiring import build_context
from voices.clips import ClipInfo, ClipPack, PackInfo, create_pack
from voices.compose import Composer, ScriptEntry, clip_ids
from voices.speaker import Speaker


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Speaker(tmp_path_factory.mktemp("cache")).synthesize("Có ạ.")


def fill(pack: ClipPack, entries: list[ScriptEntry], wav: Path) -> None:
    """Record ``entries`` at once (one good WAV stands in for every take)."""
    for entry in entries:
        shutil.copyfile(wav, pack.path(entry.id))
        pack.clips[entry.id] = ClipInfo(entry.text, "test", "2026-11-23T09:00:00+07:00", 0.9)
    pack.save()


@pytest.fixture(scope="module")
def surveyor(tmp_path_factory: pytest.TempPathFactory) -> Surveyor:
    home = tmp_path_factory.mktemp("home")
    return Surveyor(parse_config({"voice": {"clips": str(home / "clips")}}))


def test_every_clip_a_scripted_visit_asks_for_is_in_the_studios_script(
    surveyor: Surveyor,
) -> None:
    """What the terminal says in the scripted visits can all be recorded in the studio."""
    for lang in ("vi", "en"):
        composer = Composer(surveyor._ctx.packs[lang], "north", surveyor.sections)
        script = {e.id for e in composer.script()}
        visits = surveyor.visits(lang)
        assert len(visits) == 4
        asked = {cid for visit in visits for prompt in visit
                 for cid in clip_ids(composer.plan_items(prompt))}  # fmt: skip
        assert asked <= script, sorted(asked - script)
        assert len(asked) > 100


def test_the_scripted_visits_walk_to_the_printed_slip_and_the_survey(surveyor: Surveyor) -> None:
    first, *_ = visits = surveyor.visits("vi")
    texts = [t for visit in visits for prompt in visit for _, t in prompt]
    assert any(t.startswith("Giấy tờ 1 trên") for t in texts)  # said on the first paper
    assert any(t.startswith("Bấm 1 Hộ tịch, 2 Chứng thực") for t in texts)  # a short menu
    assert any(t.startswith("Còn thiếu") for prompt in first for _, t in prompt)
    # the birth registration's resident asks to hear the whole slip: its ticket, terminal 1's
    heard = [t for prompt in first for _, t in prompt]
    assert "Số ưu tiên của ông bà là" in heard and "U-112." in heard
    assert any(t == "Ông bà có hài lòng với máy này không?" for t in texts)


def test_no_pack_means_nothing_is_human(surveyor: Surveyor) -> None:
    found = surveyor.coverage()
    assert found.pack == "" and found.visit_human_share == 0.0
    assert found.phrases.recorded == found.procedures.recorded == found.numbers.recorded == 0
    assert found.phrases.total > 100 and found.procedures.total > 300
    assert found.numbers.total == 35  # north: "lẻ" is not used
    assert found.visit_seconds > 1000


def test_recording_the_phrases_and_numbers_gives_a_part_and_everything_gives_all(
    tmp_path: Path, spoken_wav: Path, surveyor: Surveyor
) -> None:
    pack = create_pack(tmp_path, PackInfo.default("vi"))
    composer = Composer(surveyor._ctx.packs["vi"], "north", surveyor.sections)
    script = list(composer.script())
    visits = surveyor.visits("vi")
    fill(pack, [e for e in script if e.section != "procedures"], spoken_wav)
    part = measure(composer, pack, visits)
    assert part.phrases.recorded == part.phrases.total
    assert part.numbers.recorded == part.numbers.total
    assert part.procedures.recorded == 0
    assert 0.3 < part.visit_human_share < 0.8
    fill(pack, [e for e in script if e.section == "procedures"], spoken_wav)
    full = measure(composer, pack, visits)
    assert full.visit_human_share == 1.0
    assert full.procedures.recorded == full.procedures.total
    assert full.by_procedure["1.001193"].recorded == full.by_procedure["1.001193"].total > 10


def test_coverage_json_has_exactly_the_issues_keys(
    tmp_path: Path, spoken_wav: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from terminal.cli import main

    monkeypatch.setenv("HOTRO_HOME", str(tmp_path))
    pack = create_pack(tmp_path / "clips", PackInfo.default("vi"))
    pack.add("title_home", "Ông bà cần làm việc gì?", spoken_wav)
    pack.add("num_2", "hai", spoken_wav)
    assert main(["voices", "coverage", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    got = json.loads(lines[0])
    for part in ("phrases", "procedures", "numbers"):
        assert set(got[part]) == {"recorded", "total"}
        assert isinstance(got[part]["recorded"], int) and isinstance(got[part]["total"], int)
    assert got["phrases"]["recorded"] == 1 and got["numbers"]["recorded"] == 1
    assert 0 < got["visit_human_share"] < 0.05
    assert got["pack"] == "vi"
    assert main(["voices", "coverage"]) == 0
    text = capsys.readouterr().out
    assert "pack vi: 2 of" in text and "phrases" in text
    assert main(["voices", "coverage", "--pack", "nope"]) == 2


def test_pack_export_and_import_commands(
    tmp_path: Path, spoken_wav: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from terminal.cli import main

    desk, terminal = tmp_path / "desk", tmp_path / "terminal"
    monkeypatch.setenv("HOTRO_HOME", str(desk))
    create_pack(desk / "clips", PackInfo.default("vi")).add("button_yes", "Có", spoken_wav)
    zipped = tmp_path / "vi.zip"
    assert main(["voices", "pack", "export", str(zipped)]) == 0
    monkeypatch.setenv("HOTRO_HOME", str(terminal))
    assert main(["voices", "pack", "import", str(zipped)]) == 0
    assert "installed pack vi" in capsys.readouterr().out
    assert (terminal / "clips" / "vi" / "button_yes.wav").exists()
    assert main(["voices", "pack", "list"]) == 0
    assert re.search(r"pack vi: 1 of \d+ clips recorded", capsys.readouterr().out)
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    assert main(["voices", "pack", "import", str(tmp_path / "bad.zip")]) == 1
    assert main(["voices", "pack", "pull"]) == 2  # no hub is set


def test_the_language_screen_offers_a_pack_that_covers_enough(
    tmp_path: Path, spoken_wav: Path, surveyor: Surveyor
) -> None:
    clips = tmp_path / "clips"
    south = create_pack(clips, PackInfo("vi-south", "Giọng miền Nam", "vi", "south"))
    composer = Composer(surveyor._ctx.packs["vi"], "south", surveyor.sections)
    fill(south, [e for e in composer.script() if e.section != "procedures"], spoken_wav)
    create_pack(clips, PackInfo("hmn", "Hmoob", "vi", tts=False))  # nothing recorded yet
    share = Surveyor(parse_config({"voice": {"clips": str(clips)}})).coverage("vi-south")
    assert 0.3 < share.visit_human_share < 0.8
    strict = parse_config({"voice": {"clips": str(clips), "pack_min_share": 0.9}})
    assert offered_voices(strict) == ()
    config = parse_config({"voice": {"clips": str(clips), "pack_min_share": 0.3}})
    (choice,) = offered_voices(config)
    assert (choice.id, choice.lang, choice.label) == ("vi-south", "vi", "Giọng miền Nam")
    ctx = build_context(config, match=lambda text: None)
    speaker = FakeSpeaker()
    session = Session(ctx, Ports(speaker, FakeJournal(), FakePrinter(), FakeClock(), fake_encode))
    session.start()
    session.handle(d.Activate())
    assert session.screen is not None and session.screen.name == "language"
    option = session.screen.option("voice:vi-south")
    assert option is not None and option.label == "Giọng miền Nam"
    session.handle(d.Choose(option.number))
    assert session.screen.name == "home"
    assert speaker.voices == ["vi-south"]
    assert speaker.settings[-1][0] == "vi"
    session.handle(d.Command("start_over"))
    session.handle(d.Command("back"))  # to the language screen
    session.handle(d.Command("back"))  # back from the language screen: the visit is over
    assert session.state.settings.voice == ""
    assert speaker.voices == ["vi-south", ""]


def test_the_doctor_reports_the_recorded_voice_in_one_line(
    tmp_path: Path, spoken_wav: Path
) -> None:
    config = parse_config({"voice": {"clips": str(tmp_path / "clips")}})
    create_pack(tmp_path / "clips", PackInfo.default("vi")).add("button_yes", "Có", spoken_wav)
    from terminal.doctor import Probes

    result = check_recorded_voice(config, Probes())
    assert result.status == "ok"
    assert re.match(r"pack vi: 1 of \d+ clips recorded; 0 % of a typical visit", result.summary)
    assert "studio" in result.advice
    assert "\n" not in result.summary


def test_embedded_defaults_offer_no_voice_pack() -> None:
    assert build_context(Config(), match=lambda text: None).voices == ()


def test_a_service_visit_and_its_slip_need_no_synthesis_once_everything_is_recorded(
    surveyor: Surveyor,
) -> None:
    """The words of "Việc khác" (a service's names, its summary, what to bring, the list as
    the service screen says it) are in the studio's script: with every clip of the script
    recorded, the VNeID help screens and the service slip read aloud are all human voice."""
    from datetime import datetime

    from cases.case import Case, Ticket
    from printer.slip import build_service_slip
    from voices.compose import PlayClip, Synth, realise

    ctx = surveyor._ctx
    composer = Composer(ctx.packs["vi"], "north", surveyor.sections)
    script = {e.id: e.text for e in composer.script()}
    state, _ = d.start(ctx)
    prompts = []
    for event in (d.Activate(), d.Press("lang:vi"), d.Press("services"),
                  d.Press("svc:vneid_help")):  # fmt: skip
        state, effects = d.step(state, event)
        prompts += [e.items for e in effects if isinstance(e, d.Say) and e.items]
    assert state.visit.screen == "service"
    service = ctx.services["vneid_help"]
    case = Case("T1", Ticket(112, False), "", (), created=datetime(2026, 11, 23, 9, 5),
                service=service.id)  # fmt: skip
    slip = build_service_slip(case, service, "Trung tâm Phục vụ hành chính công xã", "", "X")
    prompts.append(tuple((None, line.spoken) for line in slip.lines if line.spoken))
    said = [text for prompt in prompts for _, text in prompt]
    assert service.summary in said and "Thẻ căn cước." in said  # the screen, and the slip
    for prompt in prompts:
        segments = realise(composer.plan_items(prompt), lambda cid, text: script.get(cid) == text)
        assert [s for s in segments if isinstance(s, PlayClip)], prompt
        assert not [s for s in segments if isinstance(s, Synth)], prompt
