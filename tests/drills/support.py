"""Helpers shared by the fault drills: a configuration in a temp home, the real session with the
ports a drill chooses, a visit driven by intents, and journal checks."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from terminal import dialogue as d
from terminal.config import Config, JournalConfig, PrinterConfig, TerminalConfig
from terminal.ports import FakeClock, FakeSpeaker
from terminal.screens import ScreenModel
from terminal.session import Ports, Session
from terminal.wiring import build_context, make_encoder

BIRTH = "1.001193"  # Đăng ký khai sinh: some papers only "sometimes" or "on request"


def make_config(home: Path, printer_uri: str = "", timeout: float = 5.0, **terminal: Any) -> Config:
    """The embedded defaults with a printer, one language (Vietnamese) and a journal in ``home``."""
    t = replace(TerminalConfig(), languages=("vi",), **terminal)
    return Config(
        printer=PrinterConfig(uri=printer_uri, paper=80, timeout=timeout),
        terminal=t,
        journal=JournalConfig(path=str(home / "journal.sqlite3")),
    )


@dataclass
class Drive:
    """A real ``Session`` with the chosen ports; keeps every screen shown and everything said."""

    session: Session
    shown: list[ScreenModel] = field(default_factory=list)

    @property
    def screen(self) -> ScreenModel:
        assert self.session.screen is not None
        return self.session.screen

    @property
    def said(self) -> list[str]:
        """Every spoken text, in order (from the session's effect trace)."""
        return [text for e in self.session.trace if isinstance(e, d.Say) for _, text in e.items]

    def press(self, key: str) -> None:
        opt = self.screen.option(key)
        assert opt is not None, (key, self.screen.name, [o.key for o in self.screen.all_options])
        self.session.handle(d.Press(key))

    def yes(self) -> None:
        """"Yes" to the question on screen; for a paper any one of several things will do for,
        the first of them."""
        self.press("button_yes" if self.screen.option("button_yes") is not None else "alt:0")

    def wait_screen(self, *names: str, timeout: float = 30.0) -> str:
        """Wait (a print runs in the background for real printers) until one of ``names``."""
        deadline = time.monotonic() + timeout
        while self.screen.name not in names:
            if time.monotonic() > deadline:
                raise AssertionError(f"still on {self.screen.name!r}, waiting for {names}")
            time.sleep(0.02)
        return self.screen.name

    def to_confirm(self, code: str = BIRTH, priority: str = "elderly") -> None:
        """Start, say the procedure, walk its papers (first has it, others missing), confirm."""
        s = self.session
        s.handle(d.Activate())
        assert self.screen.name == "home", self.screen.name
        s.handle(d.Heard(f"proc:{code}"))
        self.press("continue")
        first = True
        while self.screen.name == "paper":
            v = s.state.visit
            if v.stage == "where":
                self.press("next")
            elif v.stage == "when":
                self.press("button_yes")
            elif first:
                self.yes()
                first = False
            else:
                self.press("button_no")
        self.press(f"prio:{priority}")
        self.press("done")
        self.press("deliver:centre")
        assert self.screen.name == "confirm"

    def finish_visit(self) -> None:
        """From the printed screen: survey, thanks, back to the attract screen. From the
        print-failed screen (it stays until the case is taken): the desk scans the QR."""
        if self.screen.name == "print_failed":
            self.desk_takes_the_case()
        else:
            self.press("continue")
            self.press("sat:satisfied")
        self.press("finish")
        assert self.screen.name == "attract"

    def desk_takes_the_case(self) -> None:
        """Staff scan the print-failure screen's QR at the desk (``handed_off`` in the same
        journal); the terminal sees it on its next tick and thanks the resident."""
        case_id = self.session.state.visit.case_id
        assert case_id is not None
        self.session.ports.journal.record_handoff(case_id)
        self.session.tick()
        assert self.screen.name == "thanks", self.screen.name


class Posted:
    """A ``post`` for results from other threads (printing, microphone): runs the job at once,
    one at a time, so two threads never step the dialogue together."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __call__(self, job: Callable[[], None]) -> None:
        with self._lock:
            job()


def start_session(
    config: Config,
    printer: Any,
    journal: Any,
    speaker: Any | None = None,
    listener: Any | None = None,
    voice_input: bool = False,
    background: Callable[[Callable[[], None]], None] | None = None,
) -> Drive:
    """A real session (real dialogue, catalogue, phrase pack, key and codec) with these ports."""
    ctx = build_context(config, voice_input=voice_input)
    ports = Ports(
        speaker=speaker if speaker is not None else FakeSpeaker(),
        journal=journal,
        printer=printer,
        clock=FakeClock(),
        encode=make_encoder(config),
        listener=listener,
    )
    drive = Drive(Session(ctx, ports, terminal_id=config.centre.terminal_id))
    drive.session.on_screen = drive.shown.append
    if background is not None:
        drive.session.background = background
        drive.session.post = Posted()
    drive.session.start()
    return drive


def phrase(pid: str, lang: str = "vi", **params: object) -> tuple[str, str]:
    """(screen, spoken) text of a phrase of the pack."""
    from voices.phrases import load_pack

    p = load_pack(lang)
    return p.screen(pid, **params), p.spoken(pid, **params)


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` on a fresh read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
