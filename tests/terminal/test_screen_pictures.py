"""Every button of every screen names a picture that exists (issue 19), in the pure screen model.

The Kivy adapter draws them (``test_app.py`` measures them in screenshots); here the dialogue is
walked with the real catalogue and phrase packs, and every option's ``icon`` must resolve to a
shipped picture. Keys of the staff PIN pad have none: a digit is its own picture.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from procedures.pictures import load_pictures
from terminal import dialogue as d
from terminal.screens import SCREENS, build_screen, icon_of
from tests.terminal.conftest import Run, state_on, to_procedure, walk_papers

PICTURES = load_pictures()


def _missing(model) -> list[tuple[str, str, str]]:
    return [
        (model.name, o.key, o.icon)
        for o in model.all_options
        if not o.key.startswith("digit:") and PICTURES.get(o.icon) is None
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("screen", tuple(SCREENS))
def test_every_button_of_every_screen_has_a_picture(ctx, screen, lang):
    state = state_on(ctx, screen)
    state = replace(state, settings=replace(state.settings, lang=lang))
    model = build_screen(state)
    assert _missing(model) == []
    for page in range(1, 3):  # a paged list: the page keys have pictures too
        paged = build_screen(replace(state, visit=replace(state.visit, page=page)))
        assert _missing(paged) == []


def test_pad_digits_have_no_picture_but_its_other_keys_do(ctx):
    model = build_screen(state_on(ctx, "staff_code"))
    assert {o.icon for o in model.options if o.key.startswith("digit:")} == {""}
    assert model.option("code_ok").icon == "action/yes"
    assert model.option("code_clear").icon == "action/delete"


def test_catalogue_choices_show_their_own_pictures(ctx):
    """Groups, procedures, paper alternatives and question answers take the catalogue's."""
    home = build_screen(state_on(ctx, "home"))
    groups = {g.id: g.icon for g in ctx.groups}
    for option in home.options:
        if option.key.startswith("group:"):
            assert option.icon == groups[option.key[6:]]
    group = build_screen(state_on(ctx, "group"))
    procedures = [o for o in group.options if o.key.startswith("proc:")]
    assert procedures
    for option in procedures:
        assert option.icon == ctx.procedures[option.key[5:]].icon
    ask = build_screen(state_on(ctx, "ask"))
    assert all(o.icon.startswith(("procedure/", "group/", "action/")) for o in ask.options)
    run = to_procedure(Run(ctx)).choose("continue")
    seen_alternatives = False
    while run.screen == "paper" and not seen_alternatives:
        option = run.model.option("alt:0")
        if option is not None:
            paper = ctx.procedures[run.state.visit.code].papers[run.state.visit.paper]
            icons = [o.icon for o in run.model.options if o.key.startswith("alt:")]
            assert icons == [alt.icon for alt in paper.alternatives]
            seen_alternatives = True
        else:
            walk_papers_one(run)
    assert seen_alternatives


def walk_papers_one(run: Run) -> None:
    stage = run.state.visit.stage
    run.choose({"when": "button_no", "where": "next"}.get(stage, "button_yes"))


def test_the_answer_check_has_pictures(voice_ctx):
    run = to_procedure(Run(voice_ctx)).choose("continue")
    run(d.Heard("button_yes"))  # a spoken paper answer is repeated back first: right / wrong
    assert run.state.visit.pending == "button_yes"
    assert [o.icon for o in run.model.options] == ["action/yes", "action/no"]
    walk_papers(run(d.Heard("answer_right")))
    assert run.screen == "priority" and _missing(run.model) == []


def test_fixed_keys_name_their_meaning():
    assert icon_of("command_back") == "action/back"
    assert icon_of("command_call_staff") == "action/call_staff"
    assert icon_of("prio:small_child") == "priority/small_child"
    assert icon_of("sat:unsatisfied") == "survey/unsatisfied"
    assert icon_of("lang:en") == "action/language"
    assert icon_of("digit:3") == ""
