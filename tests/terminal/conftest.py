"""Shared fixtures: the real catalogue and phrase packs with a fake matcher."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from terminal import dialogue as d
from terminal.config import Config, parse_config
from terminal.state import Context, State
from terminal.wiring import build_context

BIRTH = "1.001193"  # đăng ký khai sinh (has "sometimes" papers, post delivery)
PHONE = "0912345678"  # a call-back number in the tests (a mobile number, 10 digits)


@dataclass(frozen=True)
class Cand:
    code: str
    name: str = ""
    score: float = 1.0
    kind: str = "procedure"


@dataclass(frozen=True)
class Match:
    verdict: str
    candidates: tuple[Cand, ...] = ()
    referral: object = None


def fake_match(text: str) -> Match:
    from procedures.everyday import shipped_everyday

    if "vneid" in text:  # the centre's own help (issue 18)
        return Match("match", (Cand("vneid_help", kind="service"),))
    if "góp ý" in text:
        return Match("match", (Cand("feedback", kind="service"),))
    if "giấy hẹn" in text:  # a procedure first, a service among the candidates
        return Match("ask", (Cand(BIRTH), Cand("pick_up_result", kind="service"), Cand("2.000884")))
    if "kết quả" in text:  # a service first, procedures after it
        return Match("ask", (Cand("late_result", kind="service"), Cand(BIRTH), Cand("2.000884")))
    if "mật khẩu" in text:  # services only
        services = (Cand("vneid_help", kind="service"), Cand("submit_online", kind="service"))
        return Match("ask", services)
    if "làm lại giấy" in text:  # look-alikes with a distinguishing question, and one more
        return Match("ask", (Cand(BIRTH), Cand("1.004884"), Cand("2.000884")))
    if "khai sinh" in text:
        return Match("match", (Cand(BIRTH),))
    if "giấy tờ" in text:
        return Match("ask", (Cand(BIRTH), Cand("1.000894"), Cand("2.000884")))
    if "hộ chiếu" in text:
        return Match("none", referral=shipped_everyday().referral("passport"))
    return Match("none")


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTRO_HOME", str(tmp_path / "home"))


def make_ctx(voice: bool = False, **terminal) -> Context:
    cfg = parse_config({"terminal": terminal}) if terminal else Config()
    return build_context(cfg, voice_input=voice, match=fake_match)


@pytest.fixture(scope="session")
def ctx() -> Context:
    return make_ctx()


@pytest.fixture(scope="session")
def voice_ctx() -> Context:
    return make_ctx(voice=True)


class Run:
    """Drives the pure dialogue and keeps every effect."""

    def __init__(self, ctx: Context) -> None:
        self.state, first = d.start(ctx)
        self.effects: list = list(first)
        self.last: tuple = first

    def __call__(self, *events: d.Event) -> Run:
        for ev in events:
            self.state, self.last = d.step(self.state, ev)
            self.effects += self.last
        return self

    @property
    def screen(self) -> str:
        return self.state.visit.screen

    @property
    def model(self):
        from terminal.screens import build_screen

        return build_screen(self.state)

    def said(self) -> str:
        return " ".join(t for e in self.last if isinstance(e, d.Say) for _, t in e.items)

    def of(self, kind: type, last: bool = True) -> list:
        return [e for e in (self.last if last else self.effects) if isinstance(e, kind)]

    def choose(self, key: str) -> Run:
        opt = self.model.option(key)
        assert opt is not None, f"{key} not on {self.screen}: {[o.key for o in self.model.options]}"
        return self(d.Choose(opt.number)) if opt.number is not None else self(d.Press(key))


def to_procedure(run: Run, code: str = BIRTH) -> Run:
    run(d.Activate()).choose("lang:vi")
    run(d.Text("làm giấy khai sinh")) if code == BIRTH else run(d.Heard(f"proc:{code}"))
    return run


def walk_papers(run: Run, answer: str = "button_yes") -> Run:
    """Answer every paper question the same way ("yes" to a paper any one of several things
    will do for: the first of them); "sometimes" papers: does not apply."""
    while run.screen == "paper":
        v = run.state.visit
        if v.stage == "when":
            run.choose("button_no")
        elif v.stage == "where":
            run.choose("next")
        elif answer == "button_yes" and run.model.option(answer) is None:
            run.choose("alt:0")
        else:
            run.choose(answer)
    return run


def state_on(ctx: Context, screen: str) -> State:
    """A state showing ``screen``, reached through the dialogue itself."""
    run = Run(ctx)
    if screen == "attract":
        return run.state
    run(d.Activate())
    if screen == "language":
        return run.state
    run.choose("lang:vi")
    paths = {
        "home": [],
        "type": ["more", "type"],
        "group": ["group:ho_tich"],
        "help": ["command_help"],
        "staff": ["command_call_staff"],
    }
    if screen in paths:
        for key in paths[screen]:
            run(d.Press(key)) if key.startswith("command_") else run.choose(key)
        return run.state
    services = ["services", "svc:feedback", "continue", "fb:waiting", "button_yes",
                "button_yes"]
    service_screens = ("services", "service", "feedback", "callback", "consent", "phone")
    if screen in (*service_screens, "phone_check"):
        for key in services:
            run.choose(key)
            if run.screen == screen:
                return run.state
        run(*(d.Choose(int(n)) for n in PHONE))
        run(d.Activate())
        assert run.screen == "phone_check"
        return run.state
    if screen == "ask":
        return run(d.Text("giấy tờ")).state
    if screen == "none":
        return run(d.Text("xin việc làm")).state
    run(d.Text("làm giấy khai sinh"))
    if screen == "procedure":
        return run.state
    run.choose("continue")
    if screen == "paper":
        return run.state
    walk_papers(run)
    keys = {"priority": "prio:none", "needs": "done", "delivery": "deliver:centre"}
    for name in ("priority", "needs", "delivery"):
        if run.screen == screen:
            return run.state
        run.choose(keys[name])
    if screen == "confirm":
        return run.state
    run.choose("button_yes")
    if screen == "printing":
        return run.state
    if screen == "error_journal":
        return run(d.Printed(ok=False, recorded=False, problem="journal")).state
    ok = screen != "print_failed"
    run(d.Printed(ok=ok, ticket="A001", payload="H1:T1:A001", case_id=1, slip=(("x", "x"),)))
    if screen in ("printed", "print_failed"):
        return run.state
    if screen == "staff_code":
        return run(d.Printed(ok=False, ticket="A001", payload="H1", case_id=1)).choose(
            "staff_dismiss"
        ).state
    run.choose("continue")
    if screen == "survey":
        return run.state
    run.choose("sat:satisfied")
    assert screen == "thanks", screen
    return run.state
