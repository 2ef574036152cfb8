"""`hotro say` (speak or write a WAV) and `hotro voices ...`: check a clip pack, coverage of the
recorded voice, export/import/pull of the centre's packs."""

from __future__ import annotations

import argparse
import sys

VOICE_CHOICES = ("north", "central", "south")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``say`` and ``voices`` (``voices check``)."""
    say = sub.add_parser(
        "say",
        help="speak a text or a phrase id, or write it to a WAV file",
        description=(
            "Read TEXT (or the spoken text of phrase --id) aloud the way the terminal does: "
            "numbers, money, dates and abbreviations are read as words. With --out the WAV is "
            "written and nothing is played."
        ),
    )
    say.add_argument("text", nargs="?", help="text to say (omit with --id)")
    say.add_argument("--id", dest="phrase_id", metavar="PHRASE_ID", help="say a phrase-pack id")
    say.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fill a {placeholder} of the phrase (repeatable)",
    )
    say.add_argument("--out", metavar="FILE.wav", help="write the WAV here instead of playing")
    say.add_argument("--lang", default="vi", help="language (default vi)")
    say.add_argument("--voice", choices=VOICE_CHOICES, help="Vietnamese accent (default: config)")
    say.add_argument("--rate", type=int, metavar="STEP", help="rate step 0-6 (2 = 125 wpm)")
    say.add_argument("--volume", type=int, metavar="STEP", help="volume step 0-6 when playing")
    say.add_argument("--config", metavar="FILE", help="configuration file")
    say.set_defaults(func=_say)

    voices = sub.add_parser("voices", help="recorded clip packs")
    voices_sub = voices.add_subparsers(dest="voices_command", metavar="COMMAND")
    voices_sub.required = True
    check = voices_sub.add_parser(
        "check",
        help="list the clips a pack covers and flag bad or outdated files",
        description=(
            "DIR is the shelf of clip packs (one sub-folder per pack, each with pack.json), one "
            "pack folder, or an old-style folder of <phrase_id>.wav files. Each clip must be "
            "PCM 16-bit mono, 16-48 kHz, not silent and not clipped, and recorded for today's "
            "text. Exit 1 if any file is bad."
        ),
    )
    check.add_argument("dir", metavar="DIR", help="the clip pack folder")
    check.add_argument("--missing", action="store_true", help="also list ids with no clip")
    check.set_defaults(func=_check)

    coverage = voices_sub.add_parser(
        "coverage",
        help="how much of a visit is heard in the centre's recorded voice",
        description=(
            "Count the recorded clips of a pack (phrases, each procedure, number pieces) and "
            "replay scripted visits through the dialogue to find the share of a typical "
            "visit's spoken seconds heard in a human voice."
        ),
    )
    coverage.add_argument("--pack", metavar="ID", help="pack id (default: the first language's)")
    coverage.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"phrases": {"recorded": N, "total": N}, "procedures": '
        '{...}, "numbers": {...}, "visit_human_share": X, ...}',
    )
    coverage.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    coverage.set_defaults(func=_coverage)

    pack = voices_sub.add_parser(
        "pack", help="list, export, import or pull the centre's clip packs"
    )
    pack_sub = pack.add_subparsers(dest="pack_command", metavar="COMMAND")
    pack_sub.required = True
    listing = pack_sub.add_parser("list", help="the packs on this machine")
    listing.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    listing.set_defaults(func=_pack_list)
    export = pack_sub.add_parser(
        "export", help="write a pack as a zip file to copy to other terminals"
    )
    export.add_argument("out", metavar="FILE.zip")
    export.add_argument("--pack", metavar="ID", help="pack id (default: the first language's)")
    export.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    export.set_defaults(func=_pack_export)
    imp = pack_sub.add_parser(
        "import", help="install a pack zip (replaces the pack of the same id)"
    )
    imp.add_argument("file", metavar="FILE.zip")
    imp.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    imp.set_defaults(func=_pack_import)
    pull = pack_sub.add_parser(
        "pull", help="fetch the centre's packs from the hub ([centre] hub) now"
    )
    pull.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
    pull.set_defaults(func=_pack_pull)


def _say(args: argparse.Namespace) -> int:
    import logging
    from pathlib import Path

    from terminal.commands import config_from
    from voices.out import DEFAULT_VOLUME_STEP, RATE_STEPS, VOLUME_STEPS, words_per_minute
    from voices.phrases import PhraseError, load_pack
    from voices.player import PlaybackError, SDLPlayer
    from voices.reading import speakable
    from voices.speaker import Speaker, SpeakerError, espeak_voice

    logging.basicConfig(level=logging.WARNING, format="hotro: %(message)s")
    config = config_from(args)
    voice = args.voice or config.voice.voice
    rate_step = config.voice.rate_step if args.rate is None else args.rate
    if not 0 <= rate_step < len(RATE_STEPS):
        print(f"hotro say: --rate must be 0-{len(RATE_STEPS) - 1}", file=sys.stderr)
        return 2
    if (args.text is None) == (args.phrase_id is None):
        print("hotro say: give either TEXT or --id PHRASE_ID", file=sys.stderr)
        return 2
    text = args.text
    if args.phrase_id:
        params = dict(p.split("=", 1) for p in args.param if "=" in p)
        try:
            text = load_pack(args.lang).spoken(args.phrase_id, **params)
        except PhraseError as exc:
            print(f"hotro say: {exc}", file=sys.stderr)
            return 2
    spoken = speakable(text, args.lang, voice)
    speaker = Speaker(config.cache_dir / "speech")
    if not speaker.available:
        print(f"hotro say: {speaker.problem}", file=sys.stderr)
        return 1
    rate = RATE_STEPS[rate_step]
    try:
        if args.out:
            out = speaker.to_file(spoken, Path(args.out), args.lang, voice, rate)
        else:
            out = speaker.synthesize(spoken, args.lang, voice, rate)
    except SpeakerError as exc:
        print(f"hotro say: {exc}", file=sys.stderr)
        return 1
    print(f"spoken: {spoken}", file=sys.stderr)
    if args.out:
        name = f"{voice} ({espeak_voice(args.lang, voice)})" if args.lang == "vi" else args.lang
        print(f"wrote {out} (voice {name}, {words_per_minute(rate_step)} words a minute)")
        return 0
    player = SDLPlayer()
    if not player.available:
        print(f"hotro say: cannot play: {player.problem}; use --out FILE.wav", file=sys.stderr)
        return 1
    step = DEFAULT_VOLUME_STEP if args.volume is None else args.volume
    player.volume = VOLUME_STEPS[max(0, min(len(VOLUME_STEPS) - 1, step))]
    try:
        player.play(out)
    except PlaybackError as exc:
        print(f"hotro say: {exc}", file=sys.stderr)
        return 1
    finally:
        player.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from procedures.catalogue import load_catalogue
    from procedures.spoken import spoken_sections_of
    from terminal.commands import config_from
    from voices.clips import check_pack
    from voices.compose import Composer

    cat = load_catalogue()
    sections = spoken_sections_of(cat, config_from(args).centre.name)
    report = check_pack(Path(args.dir), lambda info, pack: Composer(pack, info.variant, sections))
    for problem in report.problems:
        print(f"BAD  {problem}")
    for lang in report.languages:
        total = len(lang.covered) + len(lang.missing)
        name = f"{lang.pack_id} ({lang.lang})" if lang.pack_id != lang.lang else lang.lang
        print(f"[{name}] {lang.folder}: {len(lang.covered)} of {total} clips recorded")
        for pid in lang.covered:
            print(f"  ok   {pid}")
        for problem in lang.problems:
            print(f"  BAD  {problem}")
        for note in lang.notes:
            print(f"  note {note}")
        if args.missing:
            for pid in lang.missing:
                print(f"  --   {pid} (no clip)")
    bad = len(report.problems) + sum(len(lang.problems) for lang in report.languages)
    print("clip pack OK" if report.ok else f"{bad} bad file(s)")
    return 0 if report.ok else 1


def _coverage(args: argparse.Namespace) -> int:
    import json

    from terminal.commands import config_from
    from terminal.coverage import Surveyor

    config = config_from(args)
    surveyor = Surveyor(config)
    try:
        found = surveyor.coverage(args.pack)
    except KeyError:
        have = ", ".join(sorted(surveyor.packs)) or "none"
        print(
            f"hotro voices coverage: no pack {args.pack!r} in {config.clips_dir} (have: {have})",
            file=sys.stderr,
        )
        return 2
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False))
        return 0
    print(found.line())
    for name, count in (
        ("phrases", found.phrases),
        ("procedures", found.procedures),
        ("numbers", found.numbers),
    ):
        print(f"  {name:11} {count.recorded:4} of {count.total:4} clips")
    print(
        f"  a typical visit: {found.visit_seconds / found.visits:.0f} s of speech, "
        f"{100 * found.visit_human_share:.0f} % human ({found.visits} scripted visits)"
    )
    return 0


def _pack_list(args: argparse.Namespace) -> int:
    from terminal.commands import config_from
    from terminal.coverage import Surveyor

    config = config_from(args)
    surveyor = Surveyor(config)
    if not surveyor.packs:
        print(f"no clip packs in {config.clips_dir} (record them in the desk's studio)")
        return 0
    for pack_id, pack in sorted(surveyor.packs.items()):
        info = pack.info
        tts = "synthesis for the rest" if info.tts else "no synthesis"
        print(f"{pack_id:10} {info.name} ({info.lang}, {info.variant}, {tts})")
        print(f"           {surveyor.coverage(pack_id).line()}")
    return 0


def _pack_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from terminal.commands import config_from
    from voices.clips import export_pack, open_packs

    config = config_from(args)
    packs = open_packs(config.clips_dir)
    pack_id = args.pack or config.terminal.languages[0]
    if pack_id not in packs:
        have = ", ".join(sorted(packs)) or "none"
        print(
            f"hotro voices pack export: no pack {pack_id!r} in {config.clips_dir} (have: {have})",
            file=sys.stderr,
        )
        return 2
    out = Path(args.out)
    count = export_pack(packs[pack_id], out)
    print(f"wrote {out}: pack {pack_id}, {count} clips")
    return 0


def _pack_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from terminal.commands import config_from
    from voices.clips import PackError, import_pack

    config = config_from(args)
    try:
        report = import_pack(config.clips_dir, Path(args.file))
    except (PackError, OSError) as exc:
        print(f"hotro voices pack import: {exc}", file=sys.stderr)
        return 1
    print(f"installed pack {report.pack_id} in {config.clips_dir}: {report.clips} clips")
    for line in report.skipped:
        print(f"  left out {line}")
    return 0


def _pack_pull(args: argparse.Namespace) -> int:
    from terminal.commands import config_from
    from terminal.voicepull import PullError, hub_of, pull_packs

    config = config_from(args)
    if not hub_of(config):
        print("hotro voices pack pull: no hub is set ([centre] hub)", file=sys.stderr)
        return 2
    try:
        for line in pull_packs(config):
            print(line)
    except PullError as exc:
        print(f"hotro voices pack pull: {exc}", file=sys.stderr)
        return 1
    return 0
