"""The pyttsx3 engine in a process of its own: ``python -m voices.synth_worker``.

pyttsx3's espeak driver runs libespeak-ng inside the calling process. libespeak-ng keeps global
state and has been seen to end a whole process with a segmentation fault (once in a test suite
of 2,390 tests, inside ``Synth``). On a kiosk that process is the terminal a resident is
standing at, so the engine lives here instead: one child process, one request at a time, read
as one JSON line on stdin and answered with one JSON line on the protocol descriptor. If this
process dies, the terminal says the utterance with the ``espeak-ng`` command and starts a new
worker for the next one (``voices.speaker.SynthWorker``).

Request ``{"text", "voice", "wpm", "word_gap", "out"}`` → ``{"ok": true}`` or
``{"ok": false, "error": "<one sentence>", "lost": <bool>}``; ``lost`` is True when pyttsx3
lost the utterance (a known pyttsx3 bug) or espeak-ng did not take the rate, which the caller
retries with the command.
The first line written is ``{"ready": true}`` or ``{"ready": false, "error": "..."}``.

pyttsx3 2.99 workarounds kept here (see ``voices.speaker``): one utterance per ``runAndWait``;
wait until the WAV is complete, its size stable and espeak-ng idle; set the rate on
espeak-ng itself, wait for its command FIFO to drain, and check the rate took effect with a
correct binding of ``espeak_GetParameter`` (``current_rate``).
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from voices.speaker import SpeakerError, Synthesis, wav_is_complete

RATE_WAIT_S = 1.0
"""How long a new rate may take to come out of espeak-ng's command FIFO (measured on the build
machine, 200 changes: from setting it to reading it back, median 0.05 ms, at most 0.1 ms)."""


class LostUtterance(SpeakerError):
    """pyttsx3 cannot make this utterance (it returned but never wrote the file, or espeak-ng
    did not take the rate): the caller says it with the ``espeak-ng`` command."""


def start_engine() -> tuple[Any, Any]:
    """The pyttsx3 engine and espeak-ng's module. Raises SpeakerError with the reason."""
    try:
        import pyttsx3
        import pyttsx3.drivers.espeak as espeak_driver
        from pyttsx3.drivers import _espeak

        # The driver prints "Audio saved to ..." after every file; silence it here (a
        # module-level name shadows the builtin for that module only).
        espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        return pyttsx3.init(driverName="espeak"), _espeak
    except Exception as exc:  # ImportError, OSError (no libespeak-ng), RuntimeError
        raise SpeakerError(f"pyttsx3 with espeak-ng cannot start: {exc}") from None


def voice_names(engine: Any) -> frozenset[str]:
    """Every name espeak-ng accepts for a voice (``vi``, ``aav/vi``, ``vi-vn-x-south``...)."""
    names: set[str] = set()
    for voice in engine.getProperty("voices"):
        names.add(voice.id.lower())
        names.add(voice.id.rsplit("/", 1)[-1].lower())
        names.add(str(voice.name).lower())
        names.add(str(voice.name).replace(" ", "_").lower())
    return frozenset(names)


def _wait_idle(espeak: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while espeak.IsPlaying():
        if time.monotonic() > deadline:
            espeak.Cancel()
            raise SpeakerError("espeak-ng stayed busy; synthesis was cancelled")
        time.sleep(0.002)


def _wait_for_file(path: Path, espeak: Any, timeout: float) -> None:
    """Until ``path`` is a complete WAV, its size stable over two polls and espeak-ng idle."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last and not espeak.IsPlaying() and wav_is_complete(path):
            return
        last = size
        time.sleep(0.01)
    raise LostUtterance(f"pyttsx3 did not write {path.name} within {timeout:.0f} s")


def current_rate(espeak: Any) -> int:
    """The rate espeak-ng will speak at now, in words a minute.

    Not ``engine.getProperty("rate")``: pyttsx3 2.99 binds ``espeak_GetParameter`` without its
    second argument (``current``), so the C function reads whatever that register holds and,
    when it holds 0, returns the default rate (175) instead of the one set. A rate check on it
    failed now and then (in a CI run and a soak) and the line was not spoken at all.
    """
    getter = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)(
        ("espeak_GetParameter", espeak.dll)
    )
    return int(getter(espeak.RATE, 1))


def synthesize(
    engine: Any, espeak: Any, voices: frozenset[str], text: str, settings: Synthesis, out: Path
) -> None:
    _wait_idle(espeak, 5.0)
    # espeak-ng accepts an unknown voice name silently in this mode: check it ourselves
    if settings.voice.lower() not in voices:
        raise SpeakerError(f"espeak-ng has no voice {settings.voice!r}")
    # voice, rate and word gap straight on espeak-ng: the engine's setProperty may queue a
    # property until runAndWait, after the check below
    from pyttsx3.drivers.espeak import EspeakDriver

    try:
        EspeakDriver.setProperty("voice", settings.voice)
    except ValueError as exc:
        raise SpeakerError(f"espeak-ng has no voice {settings.voice!r}: {exc}") from None
    espeak.SetParameter(espeak.RATE, settings.wpm, 0)
    espeak.SetParameter(7, settings.word_gap, 0)  # espeakWORDGAP (pyttsx3 has no property)
    _wait_idle(espeak, 5.0)
    # in pyttsx3's mode espeak-ng applies a parameter from its command FIFO, on its own thread
    deadline = time.monotonic() + RATE_WAIT_S
    while current_rate(espeak) != settings.wpm:
        if time.monotonic() > deadline:
            # the caller says this utterance with the espeak-ng command, which takes the rate
            raise LostUtterance(f"espeak-ng did not take rate {settings.wpm} wpm")
        time.sleep(0.005)
    engine.save_to_file(text, str(out))
    engine.runAndWait()
    try:
        _wait_for_file(out, espeak, timeout=5.0 + 0.05 * len(text))
    except SpeakerError:
        espeak.Cancel()  # a lost utterance must not leave espeak-ng busy for the next one
        raise


def _answer(proto: TextIO, reply: dict[str, Any]) -> None:
    proto.write(json.dumps(reply) + "\n")  # ASCII: no locale can garble it
    proto.flush()


def serve(requests: TextIO, proto: TextIO) -> int:
    """Answer requests until stdin closes (the terminal has gone)."""
    try:
        engine, espeak = start_engine()
        voices = voice_names(engine)
    except SpeakerError as exc:
        _answer(proto, {"ready": False, "error": str(exc)})
        return 1
    _answer(proto, {"ready": True})
    for line in requests:
        try:
            req = json.loads(line)
            settings = Synthesis(str(req["voice"]), int(req["wpm"]), int(req["word_gap"]))
            synthesize(engine, espeak, voices, str(req["text"]), settings, Path(req["out"]))
        except LostUtterance as exc:
            _answer(proto, {"ok": False, "error": str(exc), "lost": True})
        except SpeakerError as exc:
            _answer(proto, {"ok": False, "error": str(exc), "lost": False})
        except (ValueError, KeyError, TypeError) as exc:
            _answer(proto, {"ok": False, "error": f"bad request: {exc!r}", "lost": False})
        else:
            _answer(proto, {"ok": True})
    return 0


def main() -> int:
    # Only our answers go to the parent on the real stdout; anything a library prints goes to
    # stderr, where it cannot break the protocol.
    proto = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return serve(sys.stdin, proto)


if __name__ == "__main__":
    sys.exit(main())
