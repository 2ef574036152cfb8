"""Accessibility settings: closed lists, clamped steps, reset."""

from __future__ import annotations

from terminal.settings import (
    THEMES,
    SettingLimits,
    Settings,
    clamp_settings,
    next_theme,
    reset,
    step_rate,
    step_text_size,
    step_volume,
)

LIMITS = SettingLimits(rate_steps=7, volume_steps=8)


def test_rate_is_clamped_at_both_ends():
    s = Settings(rate_step=6)
    ch = step_rate(s, 1, LIMITS)
    assert ch.at_limit and ch.settings.rate_step == 6
    ch = step_rate(Settings(rate_step=0), -1, LIMITS)
    assert ch.at_limit and ch.settings.rate_step == 0


def test_volume_steps_one_at_a_time():
    ch = step_volume(Settings(volume_step=3), 1, LIMITS)
    assert not ch.at_limit and ch.settings.volume_step == 4


def test_text_size_has_three_steps():
    s = Settings()
    sizes = [s.text_size]
    for _ in range(3):
        s = step_text_size(s, 1).settings
        sizes.append(s.text_size)
    assert sizes == ["normal", "large", "largest", "largest"]


def test_theme_cycles_through_all_three():
    s = Settings()
    seen = []
    for _ in THEMES:
        seen.append(s.theme)
        s = next_theme(s).settings
    assert seen == list(THEMES) and s.theme == THEMES[0]


def test_configured_defaults_are_brought_into_range():
    s = clamp_settings(Settings(rate_step=99, volume_step=-3, theme="pink"), LIMITS)
    assert (s.rate_step, s.volume_step, s.theme) == (6, 0, "black_on_white")


def test_reset_returns_the_defaults():
    defaults = Settings(theme="yellow_on_black")
    assert reset(defaults) == defaults
