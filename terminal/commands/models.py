"""`hotro models install|list` (vosk voice models) and `hotro listen FILE.wav` (voice in).

Exit codes: 0 done (for ``listen``: any result, heard, unclear or silence); 1 the model, the
source or the audio file is missing or broken (one clear sentence on stderr); 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from terminal.config import Config
    from voices.audio_in import EndpointSettings
    from voices.listen import Choice, ListenResult


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``models`` (``install``, ``list``) and ``listen``."""
    models = sub.add_parser("models", help="install and list vosk voice models")
    models_sub = models.add_subparsers(dest="models_command", metavar="COMMAND")
    models_sub.required = True

    install = models_sub.add_parser(
        "install",
        help="install a vosk model from a zip file, a folder or a URL",
        description=(
            "Copy a vosk model into $HOTRO_HOME/models/LANG/NAME, check that it has every file "
            "restricted grammars need, and make it the active model ([voice] model in the "
            "configuration file). SOURCE is a .zip file, an unpacked model folder or an "
            "http(s) URL; default: the official Vietnamese model for --lang vi."
        ),
    )
    install.add_argument("source", nargs="?", metavar="SOURCE", help="zip file, folder or URL")
    install.add_argument("--lang", default="vi", help="language of the model (default vi)")
    install.add_argument("--name", help="folder name (default: from the source)")
    install.add_argument(
        "--no-activate", action="store_true", help="install only; do not change the configuration"
    )
    install.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="configuration file to record the model in",
    )
    install.set_defaults(func=_install)

    listing = models_sub.add_parser("list", help="list installed models and the active one")
    listing.add_argument(
        "--config", metavar="FILE", default=argparse.SUPPRESS, help="configuration file"
    )
    listing.set_defaults(func=_list)

    listen = sub.add_parser(
        "listen",
        help="recognise a spoken choice in a WAV file",
        description=(
            "Run the terminal's listener on FILE.wav (8-32-bit PCM or float, any channels, "
            "4-384 kHz; resampled, end-pointed) with a grammar made of the --choice phrasings. "
            "PHRASE may use [optional] words and (a|b) alternatives; several phrasings are "
            "separated by | at the top level. As at the terminal, the first thing said is "
            "decided on, and it must start within 8 s (else: silence). Exit 0 with a result "
            "(heard, unclear or silence), 1 when the file or the model cannot be used, 2 for a "
            "mistake in the choices."
        ),
    )
    listen.add_argument("wav", metavar="FILE.wav")
    listen.add_argument(
        "--choice",
        action="append",
        default=[],
        required=True,
        metavar="INTENT=PHRASE[|PHRASE...]",
        help="an intent and what may be said for it (repeatable)",
    )
    listen.add_argument("--model", metavar="DIR", help="vosk model folder (default: configured)")
    listen.add_argument(
        "--lang",
        help="language of the installed model to use (default: the terminal's first language)",
    )
    listen.add_argument("--json", action="store_true", help="print the result as JSON")
    for where, example in (("before", "dạ"), ("after", "ạ")):
        listen.add_argument(
            f"--courtesy-{where}",
            action="append",
            default=[],
            metavar="WORDS",
            help=f"a polite word said {where} any answer and heard with it (repeatable; the "
            f"terminal takes its phrase pack's, in Vietnamese {example!r})",
        )
    listen.add_argument(
        "--config", metavar="FILE", default=argparse.SUPPRESS, help="configuration file"
    )
    listen.set_defaults(func=_listen)


# --- helpers ---------------------------------------------------------------------------------


def split_top_level(text: str, sep: str = "|") -> list[str]:
    """Split on ``sep`` outside () and [] groups: ``"(a|b) c|d"`` → ``["(a|b) c", "d"]``."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_choice(spec: str) -> Choice:
    """``INTENT=PHRASE[|PHRASE...]`` → Choice; ValueError with a clear message."""
    import unicodedata

    from voices.listen import Choice

    intent, sep, rest = spec.partition("=")
    intent = intent.strip()
    phrases = split_top_level(unicodedata.normalize("NFC", rest))
    if not sep or not intent or not phrases:
        raise ValueError(f"--choice {spec!r}: expected INTENT=PHRASE[|PHRASE...]")
    return Choice(intent, tuple(phrases))


def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def set_toml_key(path: Path, section: str, key: str, value: str) -> None:
    """Set ``[section] key = "value"`` in a TOML file, keeping every other line as it is.

    Creates the file or the section when missing. The result is parsed before it replaces the
    file, so a mistake never leaves a broken configuration behind (raises ValueError).
    """
    import tomllib

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines()
    new_line = f"{key} = {_toml_string(value)}"
    header = re.compile(r"^\s*\[\s*" + re.escape(section) + r"\s*\]\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    key_line = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [f"[{section}]", new_line]
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if any_header.match(lines[i])), len(lines)
        )
        found = next((i for i in range(start + 1, end) if key_line.match(lines[i])), None)
        if found is not None:
            lines[found] = new_line
        else:
            insert = start + 1
            for i in range(start + 1, end):
                if lines[i].strip() and not lines[i].lstrip().startswith("#"):
                    insert = i + 1
            lines.insert(insert, new_line)
    result = "\n".join(lines) + "\n"
    parsed = tomllib.loads(result)
    if parsed.get(section, {}).get(key) != value:
        raise ValueError(f"{path}: could not set [{section}] {key}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".hotro-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(result)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _config_file(args: argparse.Namespace) -> Path:
    from terminal.config import default_config_path

    given = getattr(args, "config", None)
    return Path(given).expanduser() if given else default_config_path()


def resolve_model(config: Config, lang: str | None, explicit: str | None) -> Path | None:
    """--model, else ``[voice] model``, else the installed model for the language."""
    from voices.models import installed_model

    if explicit:
        return Path(explicit).expanduser()
    if config.voice.model:
        return Path(config.voice.model).expanduser()
    language = lang or config.terminal.languages[0]
    return installed_model(config.models_dir, language)


def _err(message: str) -> None:
    print(f"hotro: {message}", file=sys.stderr)


# --- handlers --------------------------------------------------------------------------------


def _install(args: argparse.Namespace) -> int:
    from terminal.commands import config_from
    from voices.models import DEFAULT_URLS, ModelError, install_model

    target = _config_file(args)
    if target.exists():
        config = config_from(args)
    else:  # a new configuration file is created below, from the defaults
        from terminal.config import Config

        config = Config()
    source = args.source or DEFAULT_URLS.get(args.lang)
    if not source:
        _err(f"no default model for language {args.lang!r}; give a zip file, folder or URL.")
        return 2
    try:
        installed = install_model(source, config.models_dir, args.lang, args.name)
    except ModelError as exc:
        _err(str(exc))
        return 1
    print(f"Installed {installed.name} ({installed.lang}) in {installed.path}")
    print(installed.check.sentence())
    if not installed.check.grammar:
        print(
            "Warning: this model has no lookahead graph (HCLr.fst + Gr.fst); the terminal "
            "cannot restrict it to the screen's choices."
        )
    if not args.no_activate:
        try:
            set_toml_key(target, "voice", "model", str(installed.path))
        except (OSError, ValueError) as exc:
            _err(f"installed, but cannot record it in {target} ({exc}).")
            return 1
        print(f"Active voice model recorded in {target}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from terminal.commands import config_from
    from voices.models import list_models

    config = config_from(args)
    models = list_models(config.models_dir)
    active = {lang: resolve_model(config, lang, None) for lang in {m.lang for m in models}}
    configured = Path(config.voice.model).expanduser() if config.voice.model else None
    if not models:
        print(f"No voice models installed in {config.models_dir}.")
        print("Install one: hotro models install vosk-model-small-vn-0.4.zip --lang vi")
    for m in models:
        is_active = active.get(m.lang) is not None and _same(active[m.lang], m.path)
        mark = "*" if is_active else " "
        state = "ok" if m.check.ok else "BROKEN: " + "; ".join(m.check.problems)
        grammar = ", grammar" if m.check.grammar else ""
        print(f"{mark} {m.lang:4} {m.name:32} {state}{grammar}  {m.path}")
    if configured is not None and not any(_same(configured, m.path) for m in models):
        print(f"* configured model outside {config.models_dir}: {configured}")
    return 0


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover
        return False


def _listen(args: argparse.Namespace) -> int:
    from terminal.commands import config_from
    from voices.audio_in import AudioError
    from voices.grammar import Courtesy, GrammarError, Phrasing, build_grammar, normalize
    from voices.listen import ModelError, Recognizer

    config = config_from(args)
    try:
        choices = [parse_choice(spec) for spec in args.choice]
        # checked before the model is loaded
        grammar = build_grammar([Phrasing(c.intent, c.phrases) for c in choices])
    except ValueError as exc:  # GrammarError is a ValueError
        _err(str(exc))
        return 2
    if not grammar.sentences:
        collided = "; ".join(str(c) for c in grammar.collisions)
        _err(
            "no choice has a phrasing of its own, so nothing could ever be heard"
            + (f" ({collided})" if collided else "")
            + "; give each choice a different phrasing."
        )
        return 2
    for option, words in (
        ("--courtesy-before", args.courtesy_before or ()),
        ("--courtesy-after", args.courtesy_after or ()),
    ):
        for word in words:
            if not normalize(word) or any(mark in word for mark in "[]()|{}<>"):
                _err(f"{option} {word!r}: give one or more plain words (no brackets, not empty).")
                return 2
    model_dir = resolve_model(config, args.lang, args.model)
    if model_dir is None:
        _err(
            "no voice model is installed; run `hotro models install FILE.zip --lang vi` "
            "or give --model DIR."
        )
        return 1
    wav = Path(args.wav)
    if not wav.exists():
        _err(f"{wav}: the audio file does not exist.")
        return 1
    if not wav.is_file():
        _err(f"{wav}: not an audio file (a folder, a device or a pipe); give a WAV file.")
        return 1
    try:
        courtesy = Courtesy.of(args.courtesy_before, args.courtesy_after)
        recognizer = Recognizer(model_dir, courtesy=courtesy)
        for problem in recognizer.problems(choices):
            print(f"hotro: warning: {problem}", file=sys.stderr)
        sentences = [s for s, _ in recognizer.grammar_for(choices).sentences]
        if not any(all(map(recognizer.has_word, s.split())) for s in sentences):
            _err(
                "no phrasing has all its words in the model's vocabulary (see the warnings "
                "above), so nothing could ever be heard; is it a model of another language?"
            )
            return 2
        result = recognizer.recognize_wav(wav, choices)
    except (ModelError, AudioError) as exc:
        _err(str(exc))
        return 1
    except GrammarError as exc:
        _err(str(exc))
        return 2
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(describe(result))
    if result.result == "silence":
        note = not_silent(wav, recognizer.thresholds.endpoint)
        if note:
            print(f"hotro: note: {note}", file=sys.stderr)
    return 0


def not_silent(wav: Path, settings: EndpointSettings) -> str:
    """For a recording the listener found no speech in: why, when it is not silent ("" when it
    is, or cannot be read again). A technician must not read "silence" as "dead microphone"."""
    from voices.audio_in import AudioError, read_wav, window_levels

    try:
        samples, rate = read_wav(wav)
    except AudioError:  # pragma: no cover - it was read a moment ago
        return ""
    loudest = max(window_levels(samples, rate))
    if loudest < -60.0:
        return ""
    floor, margin = settings.min_level_db, settings.noise_margin_db
    return (
        f"the recording is not silent (its loudest 0.1 s is {loudest:.0f} dBFS), but nothing in "
        f"it was taken for speech: sound quieter than {floor:.0f} dBFS is never speech, nor is "
        f"sound less than {margin:.0f} dB above the room (a file that starts on the word takes "
        "the word for the room), and sound the voice-activity model hears no voice in is "
        "noise. If it is speech, make it louder or put some silence before it."
    )


def describe(result: ListenResult) -> str:
    """One line for a person: what was heard, or why nothing was taken."""
    if result.result == "heard":
        return f"heard: {result.intent} ({result.text}), confidence {result.confidence:.2f}"
    if result.result == "unclear":
        said = (
            f" (heard {result.text!r})" if result.text and result.text not in result.reason else ""
        )
        return f"unclear: {result.reason}{said}"
    return "silence"
