"""The shipped catalogue in procedures/data: every file loads with no error."""

from __future__ import annotations

from procedures import HandledBy, default_directory


def test_every_shipped_file_loads_without_errors(shipped_catalogue):
    assert [str(e) for e in shipped_catalogue.errors] == []


def test_every_shipped_procedure_file_became_a_procedure(shipped_catalogue):
    files = {p.stem for p in default_directory().glob("*.yaml")}
    files -= {"groups", "questions", "services"}
    assert {p.slug for p in shipped_catalogue.procedures.values()} == files


def test_shipped_catalogue_has_at_least_30_procedures(shipped_catalogue):
    assert len(shipped_catalogue.procedures) >= 30


def test_every_shipped_group_has_a_procedure(shipped_catalogue):
    empty = [g.id for g in shipped_catalogue.groups if not shipped_catalogue.by_group(g.id)]
    assert empty == []


def test_residence_procedures_are_referrals_to_the_commune_police(shipped_catalogue):
    residence = shipped_catalogue.by_group("cu_tru")
    assert residence
    assert {p.handled_by for p in residence} == {HandledBy.COMMUNE_POLICE}
