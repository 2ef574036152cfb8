"""Runs the real Kivy terminal in one process and drives it with real touches.

Used by ``test_app.py`` (as a subprocess, so Kivy's one-window-per-process rule holds) and by
hand to refresh the README screenshots::

    SDL_VIDEODRIVER=offscreen python tests/terminal/kivy_driver.py OUT_DIR [--docs DIR]

It walks a visit by touching buttons through Kivy's event loop, takes a screenshot of every
screen in every theme and text size, and writes ``report.json`` (screens reached, button boxes
in pixels, theme colours, speech-stop latencies, measured capital height) for the test to check.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from terminal.app import configure_kivy, make_app_class  # noqa: E402

WIDTH, HEIGHT = (int(v) for v in os.environ.get("HOTRO_DRIVER_SIZE", "1920x1080").split("x"))
configure_kivy(False, WIDTH, HEIGHT, maxfps=0)

from kivy.clock import Clock  # noqa: E402
from kivy.core.text import Label as CoreLabel  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from terminal import dialogue as d  # noqa: E402
from terminal.config import Config  # noqa: E402
from terminal.ports import FakeClock, FakeJournal, FakePrinter, fake_encode  # noqa: E402
from terminal.screens import build_screen  # noqa: E402
from terminal.session import Ports  # noqa: E402
from terminal.settings import TEXT_SIZES, THEMES  # noqa: E402
from terminal.sizing import sizes  # noqa: E402
from terminal.wiring import build_context  # noqa: E402

BIRTH = "1.001193"
PHONE = "0912345678"


class TimedSpeaker:
    """A speaker that keeps times: when speech began and when it was stopped."""

    available = True

    def __init__(self) -> None:
        self.said: list[tuple[float, str]] = []
        self.items: list[list[str]] = []
        """Each prompt's items as the session handed them over."""
        self.stops: list[float] = []
        self._speaking = False

    def say_all(self, items) -> None:  # noqa: ANN001
        self.said.append((time.monotonic(), " ".join(t for _, t in items)))
        self.items.append([t for _, t in items])
        self._speaking = True

    def stop(self) -> None:
        self.stops.append(time.monotonic())
        self._speaking = False

    def apply(self, lang: str, rate_step: int, volume_step: int) -> None:
        pass

    @property
    def speaking(self) -> bool:
        return self._speaking

    def close(self) -> None:
        pass


SAVING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="png")
"""PNG encoding off the window's thread (zlib lets the next screen draw meanwhile)."""


def _save(data: bytes, size: tuple[int, int], path: Path) -> None:
    from PIL import Image

    image = Image.frombytes("RGBA", size, data).transpose(Image.FLIP_TOP_BOTTOM)
    image.convert("RGB").save(path, compress_level=1)


def grab(path: Path) -> None:
    """The window's pixels as the GPU drew them (what ``Window.screenshot`` does, faster); the
    PNG is written in the background (``SAVING``, waited for before the report is written)."""
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

    w, h = Window.size
    data = glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE)
    SAVING.submit(_save, data, (w, h), path)


def main(out: Path, docs: Path | None) -> None:
    import logging

    out.mkdir(parents=True, exist_ok=True)
    # the kiosk's worker threads (speech, listening, journal, printer) let Python's cycle
    # collector run at any moment, away from the UI thread: here one thread runs it all the
    # time, so a widget freed halfway through the UI's work shows up in every walk (without
    # render's unbinding of thrown-away widgets, this walk stops with a ReferenceError)
    import gc
    import threading

    collections = [0]
    collector = threading.Lock()  # held by ``stale_rules``, which needs no collection

    def collect_all_the_time() -> None:
        while True:
            with collector:
                gc.collect()
                collections[0] += 1
            time.sleep(0.002)

    threading.Thread(target=collect_all_the_time, daemon=True).start()
    logged: list[str] = []  # every line the terminal logs, for the privacy checks

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    logging.getLogger("hotro").addHandler(Keep())
    logging.getLogger("hotro").setLevel(logging.DEBUG)
    ctx = build_context(Config())
    speaker = TimedSpeaker()
    printer = FakePrinter(ok=False)
    ports = Ports(speaker, FakeJournal(), printer, FakeClock(), fake_encode)
    # systemd's side of Type=notify + WatchdogSec: a datagram socket the app reports to
    import socket

    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    (out / "notify.sock").unlink(missing_ok=True)  # left by an earlier run that crashed
    notify.bind(str(out / "notify.sock"))
    notify.setblocking(False)
    os.environ.update(
        NOTIFY_SOCKET=str(out / "notify.sock"),
        WATCHDOG_USEC="300000",
        WATCHDOG_PID=str(os.getpid()),
    )
    app = make_app_class()(
        ctx, ports, screen_inches=15.6, tick_seconds=3600, status_config=Config()
    )
    report: dict = {
        "window": [WIDTH, HEIGHT],
        "touched": [],
        "shots": [],
        "stop_latency": [],
        "themes": {},
    }

    def frames(n: int = 3):
        for _ in range(n):
            yield

    def touch(key: str):
        button = app.buttons.get(key)
        assert button is not None, (key, list(app.buttons))
        while button.get_root_window() is None:  # on another part: read on, as a resident would
            yield from touch("read_on")
            button = app.buttons[key]
        x, y = button.to_window(*button.center)
        speaker._speaking = True
        t0 = time.monotonic()
        t = UnitTestTouch(x, y)
        t.touch_down()
        stopped = next((s for s in speaker.stops if s >= t0), None)
        report["stop_latency"].append(None if stopped is None else stopped - t0)
        t.touch_up()
        yield from frames(3)
        report["touched"].append([key, app.model.name])

    def pictures_now() -> dict:
        """Each button's picture as drawn: {key: [meaning, x, top, w, h]} in pixels."""
        drawn = {}
        options = {o.key: o.icon for o in app.model.all_options}
        for key, b in app.buttons.items():
            texture = b.picture_texture
            if b.get_root_window() is None or texture is None:
                continue
            x, y = b.to_window(b.x + b.picture_x, b.center_y - texture.height / 2)
            top = round(HEIGHT - (y + texture.height))
            drawn[key] = [options.get(key, ""), round(x), top, texture.width, texture.height]
        return drawn

    def subject_now() -> list | None:
        """The screen's subject picture as drawn: [meaning, x, top, w, h] in pixels, or None."""
        for w in app.root_widget.ids.content.walk(restrict=True):
            if getattr(w, "picture_texture", None) is None or not hasattr(w, "meaning"):
                continue
            if w.get_root_window() is not None:
                x, y = w.to_window(w.x, w.y)
                return [w.meaning, round(x), round(HEIGHT - (y + w.height)), *map(round, w.size)]
        return None

    def boxes_now() -> tuple[list, list]:
        """Buttons and text labels on screen now: [key, x, top, w, h, line_w] in pixels."""
        from kivy.uix.label import Label

        def box(w) -> list:
            x, y = w.to_window(w.x, w.y)
            return [round(x), round(HEIGHT - (y + w.height)), round(w.width), round(w.height)]

        buttons = [
            [key, *box(b), round(b.line_w)]
            for key, b in app.buttons.items()
            if b.get_root_window() is not None
        ]
        labels = []
        ids = app.root_widget.ids
        for w in ids.content.walk(restrict=True):
            if isinstance(w, Label) and not hasattr(w, "key") and w.text.strip():
                labels.append([w.text[:40], *box(w)])
        return buttons, labels

    def stale_rules() -> list[str]:
        """Widgets a render threw away whose kv rules still follow the app's looks, with the
        cycle collector off (as when it has not run yet, or runs in another thread): a theme
        change would reach them once they are collected (a ReferenceError that stops the
        kiosk). Renders three screens, then looks at every observer of every app property."""
        gc.collect()
        gc.disable()
        collector.acquire()
        try:
            state = app.session.state
            for theme in THEMES[:2]:
                settings = replace(state.settings, theme=theme, text_size=TEXT_SIZES[-1])
                app.render(build_screen(replace(state, settings=settings)))
            app.render(build_screen(state))
            live = {w.uid for w in app.root_widget.walk()}
            live |= {w.uid for part in app._parts for u in part for w in u[0].walk(restrict=True)}
            stale = []
            for name in app.properties():
                for _fn, largs, _kw, _ref, _uid in app.get_property_observers(name, args=True):
                    rule = largs[0] if largs and isinstance(largs[0], (tuple, list)) else ()
                    if len(rule) >= 5 and isinstance(rule[4], dict) and "self" in rule[4]:
                        widget = rule[4]["self"]
                        if widget.uid not in live:
                            stale.append(f"{widget.__class__.__name__} follows app.{name}")
            return stale
        finally:
            collector.release()
            gc.enable()

    def shoot(tag: str):
        base = app.session.state
        for theme in THEMES:
            for size in TEXT_SIZES:
                state = replace(base, settings=replace(base.settings, theme=theme, text_size=size))
                model = build_screen(state)
                app.render(model)
                parts = len(app._parts)
                for part in range(parts):
                    app._show_part(part)
                    yield from frames(2)
                    suffix = f"-part{part + 1}" if part else ""
                    name = f"{tag}-{theme}-{size}{suffix}.png"
                    t0 = time.monotonic()
                    grab(out / name)
                    report.setdefault("shot_seconds", []).append(time.monotonic() - t0)
                    buttons, labels = boxes_now()
                    title = app.root_widget.ids.title
                    footer = app.root_widget.ids.footer
                    report["shots"].append(
                        {
                            "file": name,
                            "tag": tag,
                            "screen": model.name,
                            "theme": theme,
                            "size": size,
                            "part": part + 1,
                            "parts": parts,
                            "buttons": buttons,
                            "pictures": pictures_now(),
                            "subject": subject_now(),
                            "subject_meaning": model.picture,
                            "labels": labels,
                            "title_box": boxes_of(title),
                            "title_text": title.text.strip(),
                            "footer_top": round(HEIGHT - footer.to_window(0, footer.top)[1]),
                            "qr": model.qr,
                            "option_numbers": [[o.key, o.number] for o in model.options],
                        }
                    )
        app.render(build_screen(base))
        app._show_part(0)
        yield from frames(2)

    def boxes_of(w) -> list:
        x, y = w.to_window(w.x, w.y)
        return [round(x), round(HEIGHT - y - w.height), round(w.width), round(w.height)]

    def cap_height():
        for size in TEXT_SIZES:
            z = sizes(WIDTH, HEIGHT, 15.6, size)
            lbl = CoreLabel(text="H", font_size=z.font_body, font_name=app.font_name)
            lbl.refresh()
            tex = lbl.texture
            data = tex.pixels
            w, h = tex.size
            rows = [
                r for r in range(h) if any(data[(r * w + c) * 4 + 3] > 128 for c in range(w))
            ]
            report.setdefault("cap_mm", {})[size] = (max(rows) - min(rows) + 1) / z.px_per_mm
        report["px_per_mm"] = sizes(WIDTH, HEIGHT, 15.6, "normal").px_per_mm

    def on_screen() -> dict:
        """What the window shows (its widgets' texts) and what was just said."""
        texts = [w.text for w in app.root_widget.ids.content.children if hasattr(w, "text")]
        return {
            "screen": app.model.name,
            "title": app.root_widget.ids.title.text,
            "texts": texts[::-1],
            "buttons": {key: b.text for key, b in app.buttons.items()},
            "said": speaker.said[-1][1] if speaker.said else "",
        }

    def printed_case() -> list:
        for _ in range(200):
            if app.model.name not in ("printing", "print_failed"):
                break
            yield
        case, payload = printer.printed[-1]
        return [case.service, case.topic, case.call_back, case.ticket.label, payload]

    def key(name: str):
        from kivy.core.window import Keyboard

        Window.dispatch("on_key_down", Keyboard.keycodes[name], 0, None, [])
        Window.dispatch("on_key_up", Keyboard.keycodes[name], 0)
        yield from frames(2)

    def services():
        """Every reason a resident comes (issue 18): help with VNeID, a result asked about in
        her own words, feedback with a call back; touches, and the keypad through the window."""
        printer.ok = True
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Text("giúp tôi kích hoạt VNeID"))
        yield from frames(3)
        yield from shoot("service")
        report["vneid"] = on_screen()
        yield from touch("continue")
        yield from touch("prio:none")
        report["vneid"]["case"] = yield from printed_case()
        yield from shoot("printed-service")
        report["vneid"]["printed"] = on_screen()
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Text("giấy khai sinh của cháu xong chưa"))
        yield from frames(3)
        yield from shoot("ask-submitted")
        report["result"] = on_screen()
        yield from touch("answer:1")
        report["result"]["chosen"] = app.session.state.visit.service
        yield from touch("continue")
        yield from touch("prio:elderly")
        report["result"]["case"] = yield from printed_case()
        # feedback from "Việc khác", with a call back
        app.session.handle(d.Command("start_over"))
        yield from frames(2)
        yield from touch("services")
        yield from shoot("services")
        yield from touch("svc:feedback")
        yield from touch("continue")
        yield from shoot("feedback")
        yield from touch("fb:waiting")
        yield from shoot("callback")
        yield from touch("button_yes")
        yield from shoot("consent")
        report["feedback"] = {"consent": on_screen()}
        yield from touch("button_yes")
        prompts = len(speaker.items)
        for digit in PHONE[:6]:  # the keypad, as a blind resident types it
            yield from key(f"numpad{digit}")
        yield from key("numpaddecimal")  # the keypad's "." deletes the last digit
        yield from key(f"numpad{PHONE[5]}")
        for digit in PHONE[6:]:  # the on-screen digits
            yield from touch(f"digit:{digit}")
        report["feedback"]["typed"] = speaker.items[prompts:]
        yield from shoot("phone")
        report["feedback"]["phone"] = on_screen()
        yield from key("numpadenter")
        report["feedback"]["check_items"] = speaker.items[-1]
        yield from shoot("phone_check")
        report["feedback"]["check"] = on_screen()
        yield from touch("button_yes")
        yield from touch("prio:none")
        report["feedback"]["case"] = yield from printed_case()
        report["feedback"]["printed"] = on_screen()
        report["feedback"]["visit_phone"] = app.session.state.visit.phone

    def shoot_status():
        yield from frames(2)
        grab(out / "staff-status.png")

    def scenario():
        (out / "window.up").touch()  # the window came up: a failure from here is the app's
        yield from frames(5)
        cap_height()
        for theme in THEMES:
            from terminal.app import load_theme

            report["themes"][theme] = load_theme(theme)
        yield from shoot("attract")
        # a touch anywhere wakes the terminal
        t = UnitTestTouch(WIDTH / 2, HEIGHT / 2)
        t.touch_down()
        t.touch_up()
        yield from frames(3)
        report["touched"].append(["(anywhere)", app.model.name])
        yield from shoot("language")
        yield from touch("lang:vi")
        yield from shoot("home")
        app.session.handle(d.Focus(2))
        yield from frames(2)
        report["focus_key"] = app.model.focus
        yield from shoot("home-focus")
        # the keypad through the window: numpad 3 opens "Bảo trợ xã hội" at once, Enter (nothing
        # focused) says the screen again, the keypad's "." goes back
        from kivy.core.window import Keyboard

        report["keys"] = []
        for name in ("numpad3", "numpadenter", "numpaddecimal"):
            Window.dispatch("on_key_down", Keyboard.keycodes[name], 0, None, [])
            Window.dispatch("on_key_up", Keyboard.keycodes[name], 0)
            yield from frames(2)
            report["keys"].append([name, app.model.name, app.model.focus, speaker.said[-1][1]])
        yield from touch("command_help")
        yield from shoot("help")
        yield from touch("resume")
        yield from touch("command_call_staff")
        yield from shoot("staff")
        yield from touch("resume")
        yield from touch("group:ho_tich")
        yield from shoot("group")
        while f"proc:{BIRTH}" not in app.buttons:
            yield from touch("more")
        yield from touch(f"proc:{BIRTH}")
        yield from shoot("procedure")
        yield from touch("continue")
        yield from shoot("paper")
        yield from touch("button_no")
        yield from shoot("paper-where")
        yield from touch("next")
        while app.model.name == "paper":
            stage = app.session.state.visit.stage
            if stage == "when":
                if not any(s["tag"] == "paper-when" for s in report["shots"]):
                    yield from shoot("paper-when")
                yield from touch("button_no")
            elif "button_yes" in app.buttons:
                yield from touch("button_yes")
            else:  # a paper any one of several things will do for: which one she has
                if not any(s["tag"] == "paper-which" for s in report["shots"]):
                    yield from shoot("paper-which")
                yield from touch("alt:0")
        yield from shoot("priority")
        yield from touch("prio:elderly")
        yield from touch("need:hard_of_hearing")
        yield from shoot("needs")
        yield from touch("done")
        yield from shoot("delivery")
        yield from touch("deliver:centre")
        yield from shoot("confirm")
        yield from touch("button_yes")
        for _ in range(200):
            if app.model.name != "printing":
                break
            yield
        yield from shoot("print_failed")
        yield from touch("command_call_staff")
        report["staff_over_failure_qr"] = app.model.qr
        yield from shoot("staff-print-failed")
        yield from touch("resume")
        yield from touch("staff_dismiss")
        yield from shoot("staff_code")
        yield from touch("command_back")
        printer.ok = True
        yield from touch("retry")
        for _ in range(200):
            if app.model.name not in ("printing", "print_failed"):
                break
            yield
        yield from shoot("printed")
        yield from touch("continue")
        yield from shoot("survey")
        yield from touch("sat:satisfied")
        yield from shoot("thanks")
        yield from touch("finish")
        # screens reached by typing or by the dialogue's own timers
        app.session.handle(d.Activate())
        app.session.handle(d.Choose(1))
        app.session.handle(d.Text("giấy tờ"))
        yield from frames(3)
        yield from shoot(app.model.name)
        # look-alikes: the distinguishing question, shown and spoken (the real matcher)
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Text("làm lại giấy khai sinh cho ông cụ nhà tôi"))
        yield from frames(3)
        yield from shoot("ask-question")
        report["question"] = on_screen()
        yield from touch("answer:2")
        report["question"]["chosen"] = [app.model.name, app.session.state.visit.code]
        # something done elsewhere: the referral, shown, spoken and printed on request
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Text("làm hộ chiếu đi Hàn Quốc"))
        yield from frames(3)
        yield from shoot("none-referral")
        report["referral"] = on_screen()
        yield from touch("print_referral")
        for _ in range(200):
            if printer.notes and "Đã in xong" in speaker.said[-1][1]:
                break
            yield
        report["referral"]["printed"] = [
            [heading, [list(line) for line in lines]] for heading, lines in printer.notes
        ]
        report["referral"]["after_print"] = speaker.said[-1][1]
        yield from services()
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Text("qqq zzz xyz"))
        yield from frames(3)
        yield from shoot(app.model.name)
        app.session.handle(d.Command("start_over"))
        app.session.handle(d.Press("more"))
        app.session.handle(d.Press("type"))
        yield from frames(3)
        yield from shoot("type")
        app.session.handle(d.Command("start_over"))
        app.session.state = replace(
            app.session.state, idle=replace(app.session.state.idle, warned=True)
        )
        app.render(build_screen(app.session.state))
        yield from shoot("home-warning")
        report["stale_rules"] = stale_rules()
        report["collections"] = collections[0]
        # the staff status (F12): opens over the visit, fills with the doctor's checks, speaks
        # nothing, and any key closes it
        said_before = len(speaker.said)
        f12 = Keyboard.keycodes["f12"]
        Window.dispatch("on_key_down", f12, 0, None, [])
        Window.dispatch("on_key_up", f12, 0)
        deadline = time.monotonic() + 20  # the checks take about a second
        while time.monotonic() < deadline:
            yield
            label = app.status_label
            if label is not None and "Journal" in label.text:
                break
        report["status_text"] = label.text if label is not None else ""
        yield from shoot_status()
        Window.dispatch("on_key_down", Keyboard.keycodes["enter"], 0, None, [])
        Window.dispatch("on_key_up", Keyboard.keycodes["enter"], 0)
        yield from frames(3)
        report["status_closed"] = app.status_view is None
        report["status_silent"] = len(speaker.said) == said_before
        messages = []
        while True:
            try:
                messages.append(notify.recv(4096).decode())
            except BlockingIOError:
                break
        report["notify"] = messages
        report["speech"] = [text for _, text in speaker.said[-5:]]
        report["journal"] = [list(map(str, e[:3])) for e in ports.journal.log]
        report["log"] = list(logged)

    gen = scenario()

    def pump(dt: float) -> None:
        try:
            next(gen)
        except StopIteration:
            SAVING.shutdown(wait=True)  # every screenshot is on disk before the report
            (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
            app.stop()
        except Exception as exc:  # noqa: BLE001
            import traceback

            report["error"] = repr(exc) + "\n" + traceback.format_exc()
            (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
            app.stop()
            raise

    Clock.schedule_interval(pump, 0)
    app.run()
    if docs is not None:
        from PIL import Image

        docs.mkdir(parents=True, exist_ok=True)
        for tag in ("home", "paper", "print_failed", "procedure", "service", "phone"):
            for theme in ("black_on_white", "yellow_on_black"):
                im = Image.open(out / f"{tag}-{theme}-normal.png")
                im.resize((960, 540), Image.LANCZOS).save(docs / f"screen-{tag}-{theme}.png")


if __name__ == "__main__":
    args = sys.argv[1:]
    docs_dir = None
    if "--docs" in args:
        i = args.index("--docs")
        docs_dir = Path(args[i + 1])
        del args[i : i + 2]
    main(Path(args[0]), docs_dir)
