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


# -- the screen's subject picture (the paper, procedure, service or group it is about) ---------

SUBJECT_SCREENS = ("paper", "procedure", "service", "group")


def _on(state, **visit):
    return build_screen(replace(state, visit=replace(state.visit, **visit)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_paper_of_every_procedure_shows_its_own_picture_at_every_stage(ctx, lang):
    """The paper question, its "only when" question and its "where to get it" all show the
    paper's picture, the one the slip prints beside it; a paper any one of several things will
    do for shows its own picture (the alternatives' are on the buttons)."""
    state = state_on(ctx, "paper")
    state = replace(state, settings=replace(state.settings, lang=lang))
    checked = 0
    for code, procedure in ctx.procedures.items():
        for i, paper in enumerate(procedure.papers):
            for stage in ("when", "have", "where"):
                model = _on(state, code=code, paper=i, stage=stage)
                assert model.name == "paper"
                assert model.picture == paper.icon, (code, i, stage)
                assert PICTURES.get(model.picture) is not None, (code, paper.short, model.picture)
                checked += 1
    assert checked == 3 * sum(len(p.papers) for p in ctx.procedures.values())


def test_a_paper_with_alternatives_shows_the_paper_not_an_alternative(ctx):
    state = state_on(ctx, "paper")
    found = 0
    for code, procedure in ctx.procedures.items():
        for i, paper in enumerate(procedure.papers):
            if paper.alternatives:
                model = _on(state, code=code, paper=i, stage="have")
                assert model.picture == paper.icon
                alternatives = [o.icon for o in model.options if o.key.startswith("alt:")]
                assert alternatives == [alt.icon for alt in paper.alternatives]
                found += 1
    assert found


def test_the_picture_follows_the_papers_of_a_real_walk(ctx):
    """Through the dialogue itself: answering "not yet" to each paper of the birth procedure
    shows "where to get it" with the same picture, and the next paper brings its own."""
    run = to_procedure(Run(ctx))
    procedure = ctx.procedures[run.state.visit.code]
    assert run.model.picture == procedure.icon
    run.choose("continue")
    seen = []
    while run.screen == "paper":
        v = run.state.visit
        assert run.model.picture == procedure.papers[v.paper].icon, (v.paper, v.stage)
        seen.append((v.paper, v.stage))
        if v.stage == "when":
            run.choose("button_yes")
        elif v.stage == "where":
            run.choose("next")
        else:
            run.choose("button_no")
    assert {stage for _, stage in seen} >= {"have", "where"}
    assert len({procedure.papers[i].icon for i, _ in seen}) > 1
    assert run.model.picture == ""  # priority: about nothing one picture shows


def test_procedures_services_and_groups_show_their_own_pictures(ctx):
    procedure_state = state_on(ctx, "procedure")
    for code, procedure in ctx.procedures.items():
        model = _on(procedure_state, code=code)
        assert model.picture == procedure.icon and PICTURES.get(model.picture), code
    service_state = state_on(ctx, "service")
    for sid, service in ctx.services.items():
        model = _on(service_state, service=sid)
        assert model.picture == service.icon and PICTURES.get(model.picture), sid
    group_state = state_on(ctx, "group")
    shown = 0
    for group in ctx.groups:
        if ctx.group_codes.get(group.id):
            model = _on(group_state, group=group.id)
            assert model.picture == group.icon and PICTURES.get(model.picture), group.id
            shown += 1
    assert shown >= 5


@pytest.mark.parametrize("screen", [s for s in SCREENS if s not in SUBJECT_SCREENS])
def test_other_screens_have_no_subject_picture(ctx, screen):
    assert build_screen(state_on(ctx, screen)).picture == ""
