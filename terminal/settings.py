"""Accessibility settings of one visit: closed lists, a default each, clamped steps, one reset.

Settings are kept apart from the answers of a visit. Every setting moves one step at a time and
stops at its ends (no wrapping for size, volume and rate; the theme cycles because it has no
order). ``reset`` gives back the defaults the terminal was configured with.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

THEMES: tuple[str, ...] = ("black_on_white", "white_on_black", "yellow_on_black")
"""Colour themes, in the order "change colours" walks them."""
TEXT_SIZES: tuple[str, ...] = ("normal", "large", "largest")
"""Text size steps, smallest first."""


@dataclass(frozen=True, slots=True)
class SettingLimits:
    """How many steps the speaker offers (from ``voices.out.RATE_STEPS``/``VOLUME_STEPS``)."""

    rate_steps: int = 7
    volume_steps: int = 8


@dataclass(frozen=True, slots=True)
class Settings:
    """One resident's choices for this visit; wiped by ``reset``."""

    lang: str = "vi"
    """Screen and speech language."""
    text_size: str = "normal"
    """One of ``TEXT_SIZES``."""
    theme: str = "black_on_white"
    """One of ``THEMES``."""
    rate_step: int = 2
    """Index into the speaker's rate steps (0 = slowest)."""
    volume_step: int = 3
    """Index into the speaker's volume steps (0 = softest)."""
    voice: str = ""
    """The recorded clip pack chosen on the language screen ("" = the language's own)."""


def _clamp(value: int, count: int) -> int:
    return max(0, min(count - 1, value))


@dataclass(frozen=True, slots=True)
class Change:
    """The result of one step: the new settings and whether an end was reached."""

    settings: Settings
    at_limit: bool


def step_rate(s: Settings, delta: int, limits: SettingLimits) -> Change:
    new = _clamp(s.rate_step + delta, limits.rate_steps)
    return Change(replace(s, rate_step=new), new == s.rate_step)


def step_volume(s: Settings, delta: int, limits: SettingLimits) -> Change:
    new = _clamp(s.volume_step + delta, limits.volume_steps)
    return Change(replace(s, volume_step=new), new == s.volume_step)


def step_text_size(s: Settings, delta: int) -> Change:
    i = TEXT_SIZES.index(s.text_size)
    new = _clamp(i + delta, len(TEXT_SIZES))
    return Change(replace(s, text_size=TEXT_SIZES[new]), new == i)


def next_theme(s: Settings) -> Change:
    i = THEMES.index(s.theme)
    return Change(replace(s, theme=THEMES[(i + 1) % len(THEMES)]), False)


def clamp_settings(s: Settings, limits: SettingLimits) -> Settings:
    """Bring configured defaults into range (a config may name more steps than the speaker has)."""
    return replace(
        s,
        rate_step=_clamp(s.rate_step, limits.rate_steps),
        volume_step=_clamp(s.volume_step, limits.volume_steps),
        text_size=s.text_size if s.text_size in TEXT_SIZES else "normal",
        theme=s.theme if s.theme in THEMES else THEMES[0],
    )


def reset(defaults: Settings) -> Settings:
    """Every setting back to its default (the visit is over)."""
    return defaults
