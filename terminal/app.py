"""The Kivy window: renders the dialogue's screen model, turns touches and keys into events.

Thin on purpose: no decisions here. ``HotroApp`` holds a ``Session``; every touch or key first
silences the speaker, then becomes one dialogue event; every ``Show`` effect re-renders the
screen from its ``ScreenModel``. Looks live in ``hotro.kv`` and ``themes/*.json``; sizes come
from ``terminal.sizing`` (millimetres on the physical screen).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import math
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

HERE = Path(__file__).parent
KV_FILE = HERE / "hotro.kv"
THEMES_DIR = HERE / "themes"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)
log = logging.getLogger("hotro.terminal")
PRIVATE_SCREENS = frozenset({"phone", "staff_code"})
"""Screens where digits type a number (a call-back number, the staff PIN): a pad of digit keys
on screen, and the log says a digit was typed, never which."""


def hex_rgba(value: str) -> list[float]:
    v = value.lstrip("#")
    return [int(v[i : i + 2], 16) / 255 for i in (0, 2, 4)] + [1.0]


def load_theme(name: str) -> dict[str, list[float]]:
    data = json.loads((THEMES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {key: hex_rgba(value) for key, value in data.items()}


def x_screen_size(display: str | None = None) -> tuple[int, int] | None:
    """The X screen's size in pixels (``$DISPLAY``), or None with no X server or no libX11.

    Asked through libX11 directly, before Kivy opens its window: SDL's "fullscreen desktop"
    mode needs a window manager to resize the window, and the kiosk runs none."""
    import ctypes
    import ctypes.util

    name = display if display is not None else os.environ.get("DISPLAY")
    lib = ctypes.util.find_library("X11")
    if not name or not lib:
        return None
    try:
        x11 = ctypes.CDLL(lib)
    except OSError:
        return None
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    for fn in (x11.XDefaultScreen, x11.XCloseDisplay):
        fn.argtypes = [ctypes.c_void_p]
    for fn in (x11.XDisplayWidth, x11.XDisplayHeight):
        fn.argtypes = [ctypes.c_void_p, ctypes.c_int]
    dpy = x11.XOpenDisplay(name.encode())
    if not dpy:
        return None
    try:
        screen = x11.XDefaultScreen(dpy)
        return int(x11.XDisplayWidth(dpy, screen)), int(x11.XDisplayHeight(dpy, screen))
    finally:
        x11.XCloseDisplay(dpy)


def configure_kivy(
    fullscreen: bool, width: int = 1280, height: int = 800, maxfps: int = 30
) -> None:
    """Window settings; must run before ``kivy.core.window`` is imported.

    Fullscreen on X (the kiosk: ``xinit`` with no window manager): a borderless window at
    (0, 0) exactly the size of the X screen, so the window covers the screen and the layout is
    drawn for the size the window really has. Elsewhere (Wayland, no X) SDL's own fullscreen."""
    from kivy.config import Config as KivyConfig

    KivyConfig.set("graphics", "maxfps", str(maxfps))
    KivyConfig.set("kivy", "exit_on_escape", "0")
    KivyConfig.set("kivy", "keyboard_mode", "system")
    KivyConfig.set("input", "mouse", "mouse,disable_multitouch")
    KivyConfig.set("graphics", "show_cursor", "1")
    KivyConfig.set("graphics", "window_state", "visible")
    screen = x_screen_size() if fullscreen else None
    if screen is not None:
        width, height = screen
        KivyConfig.set("graphics", "fullscreen", "0")
        KivyConfig.set("graphics", "borderless", "1")
        KivyConfig.set("graphics", "position", "custom")
        KivyConfig.set("graphics", "left", "0")
        KivyConfig.set("graphics", "top", "0")
    else:
        KivyConfig.set("graphics", "fullscreen", "auto" if fullscreen else "0")
        KivyConfig.set("graphics", "borderless", "0")
        KivyConfig.set("graphics", "position", "auto")
    if screen is not None or not fullscreen:
        KivyConfig.set("graphics", "width", str(width))
        KivyConfig.set("graphics", "height", str(height))
    KivyConfig.set("graphics", "resizable", "0" if fullscreen else "1")


def font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return "Roboto-Bold.ttf"  # shipped with Kivy; has Vietnamese glyphs


def make_app_class() -> type:
    """Define the Kivy classes (imports Kivy; call after ``configure_kivy``)."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.core.image import Image as CoreImage
    from kivy.core.text import Label as CoreLabel
    from kivy.core.window import Keyboard, Window
    from kivy.factory import Factory
    from kivy.graphics.texture import Texture
    from kivy.lang import Builder
    from kivy.properties import (
        BooleanProperty,
        ListProperty,
        NumericProperty,
        ObjectProperty,
        StringProperty,
    )
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.image import Image
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput
    from kivy.uix.widget import Widget

    from terminal import dialogue as d
    from terminal import systemd
    from terminal.keypad import MODIFIER_KEYS, WAIT_FOR_TEXT, for_key_down, for_text
    from terminal.screens import Option, ScreenModel, icon_of
    from terminal.session import Session, run_in_thread
    from terminal.sizing import TARGET_MM, sizes
    from terminal.vnkeys import LETTER_ROWS, TONES, type_key

    key_names = {code: name for name, code in Keyboard.keycodes.items()}

    class OptionButton(ButtonBehavior, Label):
        focused = BooleanProperty(False)
        number_texture = ObjectProperty(None, allownone=True)
        number_width = NumericProperty(0)
        """Room left of the words, beside the gap: the number and the picture."""
        line_w = NumericProperty(2)
        key = StringProperty("")
        row_min = NumericProperty(0)
        """Height of the tallest button in the list, so rows line up."""
        min_height = NumericProperty(0)
        """The least height (0: the text size's target); the on-screen keyboard's keys keep
        the normal size's."""
        picture_texture = ObjectProperty(None, allownone=True)
        """The button's picture (white on transparent, tinted by the text colour) or None."""
        picture_x = NumericProperty(0)
        """Where the picture starts, from the button's left edge."""
        picture_room = NumericProperty(0)
        """The least height that keeps the picture clear of the (focus) border."""

    class SubjectPicture(Widget):
        """What the screen is about (a paper, a procedure, a service, a group), drawn large
        in the text colour at the top left of the first lines."""

        picture_texture = ObjectProperty(None, allownone=True)
        meaning = StringProperty("")

    class TerminalRoot(BoxLayout):
        pass

    Factory.register("OptionButton", cls=OptionButton)
    Factory.register("SubjectPicture", cls=SubjectPicture)
    Factory.register("TerminalRoot", cls=TerminalRoot)

    class HotroApp(App):
        bg = ListProperty([1, 1, 1, 1])
        fg = ListProperty([0, 0, 0, 1])
        button_bg = ListProperty([1, 1, 1, 1])
        button_fg = ListProperty([0, 0, 0, 1])
        border_color = ListProperty([0, 0, 0, 1])
        focus_color = ListProperty([0, 0, 1, 1])
        warning_bg = ListProperty([0, 0, 0, 1])
        warning_fg = ListProperty([1, 1, 1, 1])
        font_name = StringProperty(font_path())
        font_body = NumericProperty(40)
        font_title = NumericProperty(46)
        font_big = NumericProperty(100)
        font_number = NumericProperty(46)
        gap = NumericProperty(16)
        target_min = NumericProperty(64)
        border_w = NumericProperty(3)
        focus_w = NumericProperty(8)
        font_footer = NumericProperty(40)
        picture_h = NumericProperty(58)
        subject_h = NumericProperty(116)

        def __init__(
            self,
            ctx: Any,
            ports: Any,
            terminal_id: str = "T1",
            screen_inches: float = 15.6,
            tick_seconds: float = 1.0,
            notes: tuple[str, ...] = (),
            status_config: Any = None,
            **kwargs: Any,
        ) -> None:
            super().__init__(**kwargs)
            self.status_config = status_config
            """The configuration the F12 staff status checks; None: no status screen."""
            self.status_view: Any = None
            self.status_label: Any = None
            self.title = "hotro"
            self.ctx = ctx
            self.ports = ports
            self.screen_inches = screen_inches
            self.tick_seconds = tick_seconds
            self.notes = notes
            self.model: ScreenModel | None = None
            self.buttons: dict[str, OptionButton] = {}
            self.text_input: TextInput | None = None
            self.first_frame_at: float | None = None
            self.last_touch_stop: float | None = None
            self._theme_name = ""
            self._size_key: tuple = ()
            self._wait_for_text = False
            self._parts: list[list] = [[]]
            self._part = 0
            self._typed = ""
            self._typed_on: tuple = ()
            self._pictures: Any = None
            self._picture_textures: dict[tuple[str, int], Any] = {}
            self._picture_cols: dict[str, float] = {}
            self.session = Session(
                ctx,
                ports,
                terminal_id=terminal_id,
                post=lambda job: Clock.schedule_once(lambda dt: job(), 0),
                background=run_in_thread,
                on_screen=self.render,
            )

        # -- life cycle ---------------------------------------------------------------------
        def load_kv(self, filename: str | None = None) -> bool:
            """Load ``hotro.kv`` once (Kivy would also find it by the app's name)."""
            Builder.unload_file(str(KV_FILE))
            Builder.load_file(str(KV_FILE))
            return True

        def build(self) -> TerminalRoot:
            self.root_widget = TerminalRoot()
            Window.bind(on_key_down=self._on_key_down, on_touch_down=self._on_any_touch)
            Window.bind(on_textinput=self._on_textinput)
            Window.bind(size=lambda *a: self._resize())
            Clock.schedule_interval(lambda dt: self.session.tick(), self.tick_seconds)
            Clock.schedule_once(self._first_frame, 0)
            return self.root_widget

        def on_start(self) -> None:
            self._resize()
            self.session.start()

        def _first_frame(self, dt: float) -> None:
            if self.first_frame_at is None:
                self.first_frame_at = time.monotonic()
                # under systemd (Type=notify): ready now, then keep the watchdog fed from the
                # UI loop, so a frozen window is restarted
                systemd.ready("terminal showing its first screen")
                interval = systemd.watchdog_interval()
                if interval:
                    Clock.schedule_interval(lambda dt: systemd.watchdog_ping(), interval / 3)

        def on_stop(self) -> None:
            for port in (self.ports.speaker, self.ports.listener):
                if port is not None:
                    with contextlib.suppress(Exception):
                        port.close()

        # -- input --------------------------------------------------------------------------
        def show_status(self) -> None:
            """F12 (a staff keyboard): the discreet status report of ``hotro doctor``'s checks.
            Speaks nothing; any key or touch closes it. White on black whatever the theme."""
            from kivy.uix.modalview import ModalView
            from kivy.uix.scrollview import ScrollView

            from terminal.status import status_report

            label = Label(
                text="…",
                color=(1, 1, 1, 1),
                font_name=self.font_name,
                font_size=max(18.0, self.font_footer * 0.5),
                halign="left",
                valign="top",
                size_hint_y=None,
            )
            label.bind(
                width=lambda w, v: setattr(w, "text_size", (v, None)),
                texture_size=lambda w, s: setattr(w, "height", s[1]),
            )
            scroll = ScrollView()
            scroll.add_widget(label)
            view = ModalView(
                size_hint=(0.96, 0.96), auto_dismiss=True, background_color=(0, 0, 0, 1)
            )
            view.add_widget(scroll)
            view.bind(on_dismiss=lambda *a: setattr(self, "status_view", None))
            self.status_view, self.status_label = view, label
            view.open()

            def fill() -> None:
                text = status_report(self.status_config)
                Clock.schedule_once(lambda dt: setattr(label, "text", text), 0)

            run_in_thread(fill)

        def _on_any_touch(self, window: Any, touch: Any) -> bool:
            """Runs before any widget sees the touch: silence at once."""
            self.ports.speaker.stop()
            if self.ports.listener is not None:
                self.ports.listener.stop()
            self.last_touch_stop = time.monotonic()
            if self.model is not None and self.model.name == "attract":
                Clock.schedule_once(lambda dt: self.session.handle(d.Activate()), 0)
                return True
            return False

        def _on_key_down(
            self, window: Any, key: int, scancode: int, codepoint: str | None, modifiers: list
        ) -> bool:
            self.ports.speaker.stop()
            name = key_names.get(key, "")
            self._wait_for_text = False
            if self.status_view is not None:
                self.status_view.dismiss()  # any key closes the staff status
                return True
            if name == "f12" and self.status_config is not None:
                self.show_status()
                return True
            ti = self.text_input
            if ti is not None and ti.focus and name not in MODIFIER_KEYS:
                # typing a request: keys type, Enter submits; every key counts as activity.
                # The log says that a key was typed, never which.
                if name == "backspace" and not ti.text:
                    log.info("key backspace: nothing (the field is empty)")
                    return True  # nothing to delete: stay on the screen
                if name == "numpaddecimal" and not ti.text:
                    self._key_event(name, d.Command("back"))  # the keypad's way out
                    return True
                if name == "escape":
                    log.info("key escape: leaves the text field")
                    ti.focus = False
                    return True
                if not name.startswith("f") or len(name) > 3:
                    log.info("key (typed): Typing()")
                    self.session.handle(d.Typing())
                    return False
            if name in MODIFIER_KEYS:
                return True  # Shift, Ctrl … on their own: only the next key counts
            if name in ("pagedown", "f6", "pageup") and len(self._parts) > 1:
                log.info("key %s: read on", name)
                self.read_on(-1 if name == "pageup" else 1)
                return True
            event = for_key_down(name, codepoint, modifiers)
            if event == WAIT_FOR_TEXT:
                self._wait_for_text = True  # the character it types decides (on_textinput)
                return True
            self._key_event(name, event)
            return True

        def _on_textinput(self, window: Any, text: str) -> None:
            """The character a shifted key typed (``+`` is Shift+= on a US keyboard)."""
            if not self._wait_for_text:
                return
            self._wait_for_text = False
            self._key_event(f"'{text}'", for_text(text))

        def _key_event(self, name: str, event: Any) -> None:
            if event is None and self.model is not None and self.model.name == "attract":
                event = d.Activate()
            if self.model is not None and self.model.name in PRIVATE_SCREENS \
                    and isinstance(event, d.Choose | d.Focus):
                log.info("key (a digit of a number typed in private)")  # never which
            else:
                log.info("key %s: %s", name or "?", event if event is not None else "nothing")
            if event == d.Activate() and self.model is not None and not self.model.focus:
                if self._part < len(self._parts) - 1:  # Enter with nothing chosen: read on
                    self.read_on()
                    return
                self._part = 0  # at the end: the screen again, from its first part
            if event is not None:
                self.session.handle(event)

        def _pressed(self, button: OptionButton) -> None:
            self.session.handle(d.Press(button.key))

        def _submit_text(self, *args: Any) -> None:
            if self.text_input is not None and self.text_input.text.strip():
                self.session.handle(d.Text(self.text_input.text))

        # -- looks --------------------------------------------------------------------------
        def _resize(self) -> None:
            if self.model is not None:
                self._apply_looks(self.model, force=True)
                self.render(self.model)

        def _apply_looks(self, model: ScreenModel, force: bool = False) -> None:
            s = model.settings
            if force or s.theme != self._theme_name:
                t = load_theme(s.theme)
                self.bg, self.fg = t["background"], t["text"]
                self.button_bg, self.button_fg = t["button"], t["button_text"]
                self.border_color, self.focus_color = t["border"], t["focus"]
                self.warning_bg, self.warning_fg = t["warning_background"], t["warning_text"]
                self._theme_name = s.theme
            key = (s.text_size, tuple(Window.size))
            if force or key != self._size_key:
                z = sizes(Window.width, Window.height, self.screen_inches, s.text_size)
                self.font_body, self.font_title = z.font_body, z.font_title
                self.font_big, self.font_number = z.font_big, z.font_number
                self.gap, self.target_min = z.gap, z.target_min
                self.border_w, self.focus_w = z.border, z.focus_border
                self.font_footer = z.font_body  # the footer grows with the text
                self.picture_h, self.subject_h = z.picture, z.subject
                self._size_key = key

        def _number_texture(self, number: int | None, size: float | None = None) -> Any:
            if number is None:
                return None
            size = size or self.font_number
            lbl = CoreLabel(text=str(number), font_size=size, font_name=self.font_name)
            lbl.refresh()
            return lbl.texture

        def _picture(self, meaning: str, height: float | None = None) -> Any:
            """The texture of a meaning's picture, cropped to what is drawn and ``height``
            (default ``picture_h``) tall, white on transparent; None when it has none (logged
            once)."""
            if not meaning:
                return None
            h = int(height or self.picture_h)
            key = (meaning, h)
            if key in self._picture_textures:
                return self._picture_textures[key]
            if self._pictures is None:
                from procedures.pictures import load_pictures

                self._pictures = load_pictures()
            picture = self._pictures.get(meaning)
            texture = None
            if picture is None:
                log.warning("no picture for %s: its words show alone", meaning)
            else:
                from PIL import Image as PILImage

                with PILImage.open(picture.path) as im:
                    alpha = im.convert("RGBA").getchannel("A")
                alpha = alpha.crop(alpha.getbbox())
                w = max(1, round(alpha.width * h / alpha.height))
                alpha = alpha.resize((w, h), PILImage.Resampling.LANCZOS)
                white = PILImage.new("RGBA", (w, h), (255, 255, 255, 0))
                white.putalpha(alpha)
                texture = Texture.create(size=(w, h), colorfmt="rgba")
                texture.blit_buffer(
                    white.transpose(PILImage.Transpose.FLIP_TOP_BOTTOM).tobytes(),
                    colorfmt="rgba",
                    bufferfmt="ubyte",
                )
            self._picture_textures[key] = texture
            return texture

        def _picture_column(self, options: Any) -> float:
            """Width of the picture column of a list, so its words line up: the widest."""
            textures = [self._picture(o.icon) for o in options]
            return max((t.width for t in textures if t is not None), default=0)

        def _place_picture(self, b: OptionButton, meaning: str, column: float = 0) -> None:
            """Number, picture, words: the picture centred in its column after the number."""
            texture = self._picture(meaning)
            left = self.gap * 0.8
            if b.number_texture is not None:
                left += b.number_texture.width + self.gap * 0.8
            if texture is None:
                b.picture_texture, b.picture_room = None, 0
                return
            column = max(column, texture.width)
            b.picture_texture = texture
            b.picture_x = left + (column - texture.width) / 2
            b.number_width = left + column + self.gap * 0.8 - self.gap
            b.picture_room = texture.height + 2 * self.focus_w + self.gap * 0.6

        def _button(self, option: Option, model: ScreenModel) -> OptionButton:
            text = option.label
            if option.selected:
                text = f"{text}   ✓ {model.selected_mark}"
            b = OptionButton(text=text, key=option.key)
            if option.role == "footer":  # the text's size; the footer row grows to fit it
                b.font_size = self.font_footer
                b.size_hint_y = 1
            footer = option.role == "footer"
            b.number_texture = self._number_texture(
                option.number, self.font_footer * 1.15 if footer else None
            )
            b.number_width = (b.number_texture.width + self.gap * 1.4) if b.number_texture else 0
            self._place_picture(b, option.icon, self._picture_cols.get(option.role, 0))
            b.focused = option.key == model.focus
            b.line_w = self.focus_w if b.focused else self.border_w
            b.bind(on_release=self._pressed)
            self.buttons[option.key] = b
            return b

        def _label(self, text: str, size: float | None = None, **kw: Any) -> Label:
            lbl = Factory.BigLabel(text=text, **kw)
            if size:
                lbl.font_size = size
            return lbl

        def render(self, model: ScreenModel) -> None:
            """Build the widgets of ``model`` (called for every Show effect).

            Nothing is ever cut off: the title and the footer always show; what lies between
            (ticket, text, prompt, rows of choices) is laid out in whole pieces, and when it is
            taller than the room left it is shown in parts, one at a time, with a "read on"
            button (Enter with nothing chosen, Page Down/F6, or a touch) that shows and reads
            the next part."""
            previous = self.model
            self.model = model
            self._forget(
                [*self.root_widget.ids.footer.children, *self.root_widget.ids.content.children]
                + [unit[0] for part in self._parts for unit in part]
            )
            self._apply_looks(model)
            ids = self.root_widget.ids
            self.buttons = {}
            self.text_input = None
            attract = model.name == "attract"
            title = ids.title
            title.halign = "center" if attract else "left"
            title.font_size = self.font_big * 0.8 if attract else self.font_title
            title.text = f"\n{model.title}" if attract else model.title
            if model.page_label:  # where in a paged list, always in view beside the title
                title.text = f"{model.title}   ({model.page_label})"
            ids.warning.text = model.warning or ""
            inner_w = Window.width - 2 * self.gap
            for label in (title, ids.warning):
                label.width = inner_w
                label.texture_update()
            ids.footer.clear_widgets()
            self._picture_cols = {
                "footer": self._picture_column(model.footer),
                "choice": self._picture_column(model.options),
            }
            footer = [self._button(o, model) for o in model.footer]
            if footer:
                width = (inner_w - self.gap * 2 * (len(footer) - 1)) / len(footer)
                ids.footer.height = self._measure_row(footer, width)
                for b in footer:
                    ids.footer.add_widget(b)
            else:
                ids.footer.height = 0
            units = self._units(model, inner_w)
            room = Window.height - 2 * self.gap - title.height - ids.footer.height
            room -= ids.warning.height + 3 * self.gap  # the root's spacing between 4 rows
            parts = self._split(units, room)
            same = previous is not None and (previous.name, previous.page, previous.title) == (
                model.name,
                model.page,
                model.title,
            )
            part = min(self._part, len(parts) - 1) if same else 0
            if model.focus:
                part = next(
                    (i for i, p in enumerate(parts) if any(model.focus in u[2] for u in p)), part
                )
            self._parts = parts
            self._show_part(part)

        def _show_part(self, part: int) -> None:
            content = self.root_widget.ids.content
            if "read_on" in self.buttons:  # the parts stay; their "read on" button is new
                self._forget([self.buttons["read_on"]])
            content.clear_widgets()
            self._part = part
            for widget, _, _ in self._parts[part]:
                content.add_widget(widget)
            if len(self._parts) > 1:
                content.add_widget(self._read_on_button())
            content.add_widget(Widget())  # what is left of the room stays empty at the bottom

        @staticmethod
        def _forget(widgets: list) -> None:
            """Unbind the kv rules of widgets a render throws away, at once.

            Kivy unbinds a widget's rules (``color: app.button_fg`` …) from the app's looks
            only when the widget is collected. Rows of buttons are parent-child cycles, left
            to Python's cycle collector, which may run in another thread (speech, listening,
            printing) and clear the widget before its rules are unbound: a theme change in
            between then reaches a dead widget and the kiosk stops with a ReferenceError.
            Unbound here, in the UI thread, no rule outlives its widget."""
            for top in widgets:
                for w in top.walk(restrict=True):
                    Builder.unbind_widget(w.uid)

        def _read_on_button(self) -> OptionButton:
            assert self.model is not None
            pack = self.ctx.packs[self.model.lang]
            text = pack.screen("button_read_on", part=self._part + 1, parts=len(self._parts))
            b = OptionButton(text=text, key="read_on")
            b.line_w = self.border_w  # no picture: its words begin with their own arrow (▼)
            b.width = Window.width - 2 * self.gap
            b.texture_update()
            b.bind(on_release=lambda *a: self.read_on())
            self.buttons["read_on"] = b
            return b

        def read_on(self, step: int = 1) -> None:
            """Show the next (or previous) part of a long screen and say what came into view."""
            if len(self._parts) < 2 or self.model is None:
                return
            part = (self._part + step) % len(self._parts)
            self._show_part(part)
            tags = [t for _, _, t in self._parts[part]]
            lines = tuple(int(t[5:]) for tag in tags for t in tag if t.startswith("line:"))
            keys = tuple(t for tag in tags for t in tag if not t.startswith(("line:", "@")))
            prompt = any("@prompt" in tag for tag in tags)
            event = d.ReadOn(part + 1, len(self._parts), lines, prompt, keys)
            self.session.handle(event)

        def _units(self, model: ScreenModel, width: float) -> list[tuple[Any, float, tuple]]:
            """The pieces between title and footer, in order: (widget, height, tags)."""
            units: list[tuple[Any, float, tuple]] = []
            # what the screen is about, large, at the left of the first text under the title
            subject = None if model.name == "attract" else self._subject(model)

            def label(text: str, tag: str, size: float | None = None, **kw: Any) -> None:
                nonlocal subject
                lbl = self._label(text, size, **kw)
                if subject is not None:
                    units.append(self._beside(subject, lbl, width, (tag, "@subject")))
                    subject = None
                    return
                lbl.width = width
                lbl.texture_update()
                lbl.height = lbl.texture_size[1]
                units.append((lbl, lbl.height, (tag,)))

            if model.name == "attract":  # a calm welcome in the middle of the screen
                units.append((Widget(size_hint_y=None, height=self.gap * 4), self.gap * 4, ()))
                label(model.prompt, "@prompt", self.font_title, halign="center")
            if model.qr or model.big:
                row = self._ticket_row(model)
                units.append((row, row.height, ("@ticket",)))
            for i, line in enumerate(model.lines):
                label(line, f"line:{i}")
            if model.name == "type":  # the field and its keyboard stay together, first
                field = self._type_box(model)
                keyboard = self._keyboard(model, width)
                typing = BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.gap)
                typing.add_widget(field)
                typing.add_widget(keyboard)
                typing.height = field.height + self.gap + keyboard.height
                units.append((typing, typing.height, ("@type",)))
            if model.name != "attract" and model.prompt:
                label(model.prompt, "@prompt")
            if subject is not None:  # no text under the title: the picture on its own
                units.append((subject, subject.height, ("@subject",)))
            cols = 2 if Window.width > Window.height and len(model.options) > 3 else 1
            if model.name in PRIVATE_SCREENS:  # a pad of digits
                cols = 3
            options = list(model.options)
            for i in range(0, len(options), cols):
                chunk = options[i : i + cols]
                buttons = [self._button(o, model) for o in chunk]
                bw = (width - self.gap * (cols - 1)) / cols
                height = self._measure_row(buttons, bw)
                row = BoxLayout(size_hint_y=None, height=height, spacing=self.gap)
                for b in buttons:
                    b.size_hint_x = None
                    b.width = bw
                    row.add_widget(b)
                units.append((row, height, tuple(o.key for o in chunk)))
            return units

        def _subject(self, model: ScreenModel) -> SubjectPicture | None:
            """The screen's subject picture, ``subject_h`` tall (None when it has none)."""
            texture = self._picture(model.picture, self.subject_h)
            if texture is None:
                return None
            return SubjectPicture(
                picture_texture=texture,
                meaning=model.picture,
                size_hint=(None, None),
                size=texture.size,
                pos_hint={"top": 1},
            )

        def _beside(
            self, picture: SubjectPicture, lbl: Label, width: float, tags: tuple
        ) -> tuple[Any, float, tuple]:
            """A unit of the picture and a text beside it, both from the top: as tall as the
            taller of the two, so it is split like any other piece."""
            lbl.size_hint_x = None
            lbl.width = width - picture.width - self.gap * 2
            lbl.pos_hint = {"top": 1}
            lbl.texture_update()
            lbl.height = lbl.texture_size[1]
            height = max(picture.height, lbl.height)
            row = BoxLayout(size_hint_y=None, height=height, spacing=self.gap * 2)
            row.add_widget(picture)
            row.add_widget(lbl)
            return row, height, tags

        def _measure_row(self, buttons: list, width: float, minimum: float = 0) -> float:
            """Lay out buttons side by side at ``width`` each; all get the tallest's height."""
            for b in buttons:
                b.min_height = minimum
                b.width = width
                b.texture_update()
            minimum = minimum or self.target_min
            tallest = max(
                max(minimum, b.texture_size[1] + self.gap, b.picture_room) for b in buttons
            )
            for b in buttons:
                b.row_min = tallest
            return tallest

        def _split(self, units: list, room: float) -> list[list]:
            """Whole pieces into parts that each fit ``room`` (a piece taller than the room is
            a part of its own)."""

            def fill(limit: float) -> list[list]:
                parts: list[list] = [[]]
                used = 0.0
                for unit in units:
                    need = unit[1] + (self.gap if parts[-1] else 0)
                    if parts[-1] and used + need > limit:
                        parts.append([])
                        used, need = 0.0, unit[1]
                    parts[-1].append(unit)
                    used += need
                return parts

            parts = fill(room)
            if len(parts) > 1:  # leave room for the "read on" button
                parts = fill(room - self.target_min - self.gap)
            for part in parts:
                if len(part) == 1 and part[0][1] > room:
                    log.warning("a piece %d px tall does not fit in %d px", part[0][1], room)
            return parts

        def _ticket_row(self, model: ScreenModel) -> BoxLayout:
            height = self.font_big * 1.6
            if model.qr:
                height = max(height, min(Window.height * 0.45, Window.width * 0.35))
            row = BoxLayout(size_hint_y=None, height=height, spacing=self.gap * 2)
            if model.qr:
                row.add_widget(self._qr_widget(model.qr, height))
            if model.big:
                row.add_widget(
                    Label(
                        text=model.big,
                        font_size=self.font_big,
                        font_name=self.font_name,
                        color=self.fg,
                        halign="left",
                        valign="middle",
                    )
                )
            return row

        def _qr_widget(self, payload: str, side: float) -> Image:
            try:
                from printer.qr import qr_image
            except ImportError:  # pragma: no cover - printer area missing
                import qrcode

                def qr_image(p: str, w: int) -> Any:
                    return qrcode.make(p, border=4).get_image()

            pil = qr_image(payload, int(side)).convert("RGB")
            buf = io.BytesIO()
            pil.save(buf, format="png")
            buf.seek(0)
            texture = CoreImage(buf, ext="png").texture
            texture.mag_filter = "nearest"
            texture.min_filter = "nearest"
            img = Image(texture=texture, size_hint=(None, 1), width=side, fit_mode="contain")
            return img

        def _type_box(self, model: ScreenModel) -> BoxLayout:
            box = BoxLayout(size_hint_y=None, height=self.target_min, spacing=self.gap)
            ti = TextInput(
                multiline=False,
                font_size=self.font_body,
                font_name=self.font_name,
                foreground_color=self.button_fg,
                background_color=self.button_bg,
                cursor_color=self.fg,
                write_tab=False,
            )
            ti.bind(on_text_validate=self._submit_text)
            ti.bind(text=lambda w, v: setattr(self, "_typed", v))
            if self.model is not None and self._typed_on == (model.name, model.lang):
                ti.text = self._typed  # a re-render (idle warning, text size) keeps the words
            else:
                self._typed, self._typed_on = "", (model.name, model.lang)
            self.text_input = ti
            box.add_widget(ti)
            pack = self.ctx.packs[model.lang]
            search = OptionButton(text=pack.screen("button_search"), key="search")
            search.size_hint_x = 0.3
            search.line_w = self.border_w
            self._place_picture(search, icon_of("search"))
            search.bind(on_release=self._submit_text)
            box.add_widget(search)
            Clock.schedule_once(lambda dt: setattr(ti, "focus", True), 0)
            return box

        def _keyboard(self, model: ScreenModel, width: float) -> BoxLayout:
            """The on-screen Vietnamese keyboard (``terminal.vnkeys``): letters, the five tone
            marks as keys, space, delete. Keys keep the normal text size at every step, so the
            whole keyboard always fits; each is at least 12 mm tall, high-contrast, outlined."""
            pack = self.ctx.packs[model.lang]
            z = sizes(Window.width, Window.height, self.screen_inches, "normal")
            rows: list[list[tuple[str, str]]] = [
                [(f"char:{ch}", ch) for ch in row] for row in LETTER_ROWS
            ]
            rows[-1].append(("delete", pack.screen("button_key_delete")))
            rows.append([(f"tone:{t}", pack.screen(f"button_key_tone_{t}")) for t in TONES])
            rows[-1].append(("space", pack.screen("button_key_space")))
            cols = max(len(r) for r in rows)
            grid = BoxLayout(orientation="vertical", size_hint_y=None, spacing=self.gap)
            lines = []
            for row in rows:
                span = (width - self.gap * (len(row) - 1)) / len(row) if len(row) < cols else (
                    (width - self.gap * (cols - 1)) / cols
                )
                keys = []
                for key, text in row:
                    b = OptionButton(text=text, key=key)
                    b.font_size, b.halign = z.font_body, "center"
                    b.size_hint_x = None
                    b.line_w = self.border_w
                    b.bind(on_release=lambda btn: self._screen_key(btn.key))
                    self.buttons[key] = b
                    keys.append(b)
                height = self._measure_row(keys, span, math.ceil(TARGET_MM * z.px_per_mm))
                line = BoxLayout(size_hint_y=None, height=height, spacing=self.gap)
                for b in keys:
                    line.add_widget(b)
                lines.append(line)
                grid.add_widget(line)
            grid.height = sum(line.height for line in lines) + (len(lines) - 1) * self.gap
            return grid

        def _screen_key(self, key: str) -> None:
            """A touch on the on-screen keyboard: edit the field, count it as activity."""
            ti = self.text_input
            if ti is None:
                return
            ti.text = type_key(ti.text, key)
            ti.cursor = (len(ti.text), 0)
            self.session.handle(d.Typing())

    return HotroApp


def run_app(config: Any, windowed: bool = False, speech: bool = True) -> int:
    """``hotro run``: the real parts (each falling back), the window, until it is closed."""
    logging.basicConfig(level=logging.WARNING, format="hotro: %(message)s")
    log.setLevel(logging.INFO)
    fullscreen = config.terminal.fullscreen and not windowed
    configure_kivy(fullscreen)
    from kivy.clock import Clock

    from terminal.session import Ports
    from terminal.wiring import JournalPopularity, UnavailablePart, build_context, build_ports

    holder: dict[str, Any] = {}

    def on_idle() -> None:
        app = holder.get("app")
        if app is not None:
            Clock.schedule_once(lambda dt: app.session.speech_finished(), 0)

    wiring = build_ports(config, on_speech_idle=on_idle, speech=speech)
    for note in wiring.notes:
        (log.error if "NOT AVAILABLE" in note else log.info)(note)
    popularity = None if isinstance(wiring.journal, UnavailablePart) else JournalPopularity(
        wiring.journal
    )
    ctx = build_context(config, voice_input=wiring.listener is not None, popularity=popularity)

    class _Clock:
        def now(self) -> float:
            return time.monotonic()

    ports = Ports(
        speaker=wiring.speaker,
        journal=wiring.journal,
        printer=wiring.printer,
        clock=_Clock(),
        encode=wiring.encode,
        listener=wiring.listener,
    )
    app_class = make_app_class()
    app = app_class(
        ctx,
        ports,
        terminal_id=config.centre.terminal_id,
        screen_inches=config.terminal.screen_inches,
        notes=tuple(wiring.notes),
        status_config=config,
    )
    holder["app"] = app
    try:
        app.run()
    finally:
        wiring.journal.close()
    return 1 if wiring.broken else 0


__all__ = ["configure_kivy", "load_theme", "make_app_class", "run_app"]
