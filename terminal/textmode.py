"""``hotro run --text``: the same dialogue in a text terminal.

Numbered choices are typed as digits; commands by name or letter (``b`` back, ``r`` repeat,
``h`` help, ``c`` call staff, ``s`` start over, ``x`` stop speaking, ``+``/``-`` louder/softer,
``>``/``<`` faster/slower, ``t`` bigger text, ``y`` theme) or by any phrase of the phrase pack
("nhắc lại", "quay lại", "về đầu": the global commands too, on every screen, as the voice
listens for them), which stands for the same phrase spoken (a paper answer or a "về đầu" that
would end the visit is repeated back); other text on the home screen is matched to a
procedure. What the terminal says is printed after "🔊". Reads stdin line by line (it can be
piped), ticks the idle clock every second, ends at end of input or on ``quit``. ``status``
prints the staff status report (``hotro doctor``'s checks) without touching the visit.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TextIO

from terminal import dialogue as d
from terminal.ports import SpeechItem
from terminal.screens import ScreenModel, nfc
from voices.phrases import PhraseError, PhrasePack, load_pack

LETTERS = {
    "b": "back",
    "r": "repeat",
    "h": "help",
    "?": "help",
    "c": "call_staff",
    "s": "start_over",
    "x": "stop",
    "+": "louder",
    "-": "softer",
    ">": "faster",
    "<": "slower",
    "t": "text_bigger",
    "T": "text_smaller",
    "y": "theme_next",
}
NAMES = {name.replace("_", " "): name for name in (*d.COMMANDS, *d.SETTING_COMMANDS)}


class TextSpeaker:
    """Prints speech; optionally also plays it through a real speaker."""

    def __init__(self, out: TextIO, also: object | None = None) -> None:
        self.out = out
        self.also = also

    def say_all(self, items: Sequence[SpeechItem]) -> None:
        for _, text in items:
            print(f"🔊 {text}", file=self.out)
        if self.also is not None:
            self.also.say_all(items)  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self.also is not None:
            self.also.stop()  # type: ignore[attr-defined]

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        if self.also is not None:
            self.also.apply(lang, rate_step, volume_step)  # type: ignore[attr-defined]

    def use_voice(self, voice: str) -> None:
        if self.also is not None:
            self.also.use_voice(voice)  # type: ignore[attr-defined]

    @property
    def speaking(self) -> bool:
        return bool(getattr(self.also, "speaking", False))

    @property
    def available(self) -> bool:
        return True

    def close(self) -> None:
        if self.also is not None:
            self.also.close()  # type: ignore[attr-defined]


def render(model: ScreenModel, out: TextIO) -> None:
    """The screen as plain text: title, paragraphs, prompt, numbered choices."""
    bar = "=" * 60
    print(bar, file=out)
    print(f"[{model.name}] {model.title}", file=out)
    if model.warning:
        print(f"!! {model.warning}", file=out)
    if model.big:
        print(f"   >>> {model.big} <<<", file=out)
    if model.qr:
        print(f"   QR: {model.qr}", file=out)
    for line in model.lines:
        print(f"  {line}", file=out)
    print(f"> {model.prompt}", file=out)
    for o in model.options:
        mark = f"  [{model.selected_mark}]" if o.selected else ""
        focus = " <" if model.focus == o.key else ""
        number = f"{o.number}." if o.number is not None else "·"  # a key of an on-screen pad
        print(f"  {number} {o.label}{mark}{focus}", file=out)
    if model.page_label:
        print(f"  ({model.page_label})", file=out)
    foot = []
    for o in model.footer:
        key = str(o.number) if o.number is not None else "b"
        foot.append(f"[{key}] {o.label}")
    if foot:
        print("  " + "   ".join(foot), file=out)


def _spoken_command(low: str, pack: PhrasePack | None) -> str | None:
    """The global command a typed phrase says ("nhắc lại", "về đầu"), from the screen's phrase
    pack: the voice listens for these on every screen, though the screen shows only some."""
    for pid, say in d.command_phrasings(pack) if pack is not None else ():
        if low in (p.lower() for p in say):
            return pid
    return None


def _without_courtesy(low: str, pack: PhrasePack | None) -> str:
    """A typed answer without the polite words around it ("dạ, có rồi ạ" → "có rồi"), as the
    voice hears it (``dialogue.courtesy_phrasings``, ``voices.grammar.Courtesy``)."""
    from voices.grammar import Courtesy, normalize

    if pack is None:
        return low
    return Courtesy.of(*d.courtesy_phrasings(pack)).core(normalize(low))


def _pack(lang: str) -> PhrasePack | None:
    try:
        return load_pack(lang)
    except PhraseError:
        return None


def parse(line: str, model: ScreenModel | None) -> d.Event | None:
    """One typed line → one event (None: nothing to do)."""
    text = nfc(line.strip())
    if model is not None and model.name == "attract":
        return d.Activate()
    if not text:
        return d.Activate()
    if text.isdigit():
        if model is not None and model.name == "phone" and len(text) > 1:
            return d.Text(text)  # a phone number typed in one line
        return d.Choose(int(text))
    if text in LETTERS:
        return d.Command(LETTERS[text])
    low = text.lower()
    if low in NAMES:
        return d.Command(NAMES[low])
    if model is not None:
        pack = _pack(model.lang)
        for said in dict.fromkeys((low, _without_courtesy(low, pack))):
            for o in model.all_options:
                if said == o.label.lower() or said in (p.lower() for p in o.say):
                    return d.Heard(o.key)
            command = _spoken_command(said, pack)
            if command is not None:
                return d.Heard(command)
    if model is not None and model.name in ("home", "type", "none", "ask"):
        return d.Text(text)
    return d.Unclear()


def run_text(
    session_factory: Callable[[Callable[[ScreenModel], None], TextSpeaker], object],
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    tick_seconds: float = 1.0,
    status: Callable[[], str] | None = None,
) -> int:
    """Drive a session from ``stdin`` until end of input or ``quit``.

    ``status``: the staff status report, printed (not spoken) when ``status`` is typed.
    """
    speaker = TextSpeaker(stdout)
    current: list[ScreenModel] = []

    def show(model: ScreenModel) -> None:
        current[:] = [model]
        render(model, stdout)

    session = session_factory(show, speaker)
    session.start()  # type: ignore[attr-defined]
    stdout.flush()
    # A reader thread hands over whole lines, so a pasted block of several lines is taken line
    # by line at once, while the idle clock still ticks every ``tick_seconds`` in between.
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for raw in iter(stdin.readline, ""):
            lines.put(raw)
        lines.put("")  # end of input

    threading.Thread(target=read, name="hotro-text-input", daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=tick_seconds)
        except queue.Empty:
            session.tick()  # type: ignore[attr-defined]
            stdout.flush()
            continue
        if not line:
            break
        if line.strip().lower() in ("quit", "exit", "q"):
            break
        if line.strip().lower() == "status" and status is not None:
            print("-" * 60 + "\n[staff status]\n" + status() + "\n" + "-" * 60, file=stdout)
            stdout.flush()
            continue
        event = parse(line, current[0] if current else None)
        if event is not None:
            print(f"» {line.strip()}", file=stdout)
            session.handle(event)  # type: ignore[attr-defined]
        session.tick()  # type: ignore[attr-defined]
        stdout.flush()
    return 0
