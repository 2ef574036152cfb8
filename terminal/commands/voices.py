"""`hotro say` (speak or write a WAV) and `hotro voices check DIR` (check a recorded clip pack)."""

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
        help="list the phrase ids a clip pack covers and flag bad files",
        description=(
            "A clip pack is a folder of <phrase_id>.wav files (Vietnamese), with optional "
            "sub-folders per language (en/...). Each clip must be PCM 16-bit mono, 16-48 kHz, "
            "not silent and not clipped. Exit 1 if any file is bad."
        ),
    )
    check.add_argument("dir", metavar="DIR", help="the clip pack folder")
    check.add_argument("--missing", action="store_true", help="also list ids with no clip")
    check.set_defaults(func=_check)


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

    from voices.clips import check_pack

    report = check_pack(Path(args.dir))
    for problem in report.problems:
        print(f"BAD  {problem}")
    for lang in report.languages:
        total = len(lang.covered) + len(lang.missing)
        print(f"[{lang.lang}] {lang.folder}: {len(lang.covered)} of {total} phrase ids covered")
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
