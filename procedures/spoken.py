"""The catalogue's texts that the terminal speaks, per procedure, for the groups and for the
centre's services.

The voice gives each of these texts its own recorded clip (``voices.compose``: a hash of the
language and the exact text), and the desk's recording studio lists them in this order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from procedures.model import Group, Procedure, Service

WHEN_PREFIX = "Chỉ khi"
"""How the catalogue writes a "sometimes" paper's case ("Chỉ khi nhờ người khác …")."""


def first_sentence(text: str) -> tuple[str, str]:
    """(the first sentence, the rest) of a paragraph: the terminal says the first sentence of a
    summary at once, the rest on request."""
    text = text.strip()
    for i, ch in enumerate(text):
        if ch in ".!?" and i + 1 < len(text) and text[i + 1] == " ":
            return text[: i + 1], text[i + 2 :].strip()
    return text, ""


def when_case(when: str) -> str:
    """The case of an "only when …" paper as a question says it ("Chỉ khi nhờ người khác đi
    làm thay." → "nhờ người khác đi làm thay"); "" when ``when`` is not written that way."""
    case = when.strip().rstrip(".")
    if not case.lower().startswith(WHEN_PREFIX.lower()):
        return ""
    return case[len(WHEN_PREFIX) :].strip()


def procedure_texts(p: Procedure) -> tuple[str, ...]:
    """Every text of ``p`` the terminal may speak, as it says them (a summary as its first
    sentence and the rest, a paper's case as its question says it), in the order a visit meets
    them, each once."""
    texts = [p.short_name, p.spoken_name, *first_sentence(p.summary), p.who, p.fee, p.time]
    for paper in p.papers:
        when = paper.when or ""
        texts += [paper.short, paper.in_sentence, when_case(when), when, paper.explain]
        texts.append(paper.where_to_get)
        for alternative in paper.alternatives:  # offered by name, one button each
            texts += [alternative.name, alternative.in_sentence]
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def group_texts(groups: Iterable[Group]) -> tuple[str, ...]:
    """The group names and their spoken descriptions, in screen order."""
    texts: list[str] = []
    for g in sorted(groups, key=lambda g: g.order):
        texts += [g.name.strip(), g.spoken_name.strip()]
    return tuple(dict.fromkeys(t for t in texts if t))


def service_texts(services: Iterable[Service]) -> tuple[str, ...]:
    """Every text of the centre's services the terminal may speak ("Việc khác"), in file
    order: each one's names, its summary (said whole), each thing to bring (the slip reads them
    one by one) and the list as the service screen says it ("Mang theo: {things}")."""
    texts: list[str] = []
    for s in services:
        texts += [s.short_name, s.spoken_name, s.name, s.summary, *s.bring]
        if len(s.bring) > 1:
            texts.append(s.bring_text)
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def spoken_sections_of(catalogue: Any, centre: str = "") -> tuple[
    tuple[str, str, tuple[str, ...]], ...
]:
    """``spoken_sections`` of a whole ``procedures.catalogue.Catalogue``: its groups, procedures
    and services, so no caller can leave the services out."""
    return spoken_sections(
        catalogue.groups, catalogue.procedures.values(), centre, catalogue.services.values()
    )


def spoken_sections(
    groups: Iterable[Group], procedures: Iterable[Procedure], centre: str = "",
    services: Iterable[Service] = (),
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, title, texts): the centre's name (read at the top of the slip) when given, the
    groups, then each procedure in group and name order, then the centre's services (when
    given)."""
    groups = tuple(groups)
    order = {g.id: g.order for g in groups}
    sections = [("centre", "Tên Trung tâm", (centre.strip(),))] if centre.strip() else []
    sections.append(("groups", "Nhóm việc", group_texts(groups)))
    for p in sorted(procedures, key=lambda p: (order.get(p.group, 99), p.short_name)):
        sections.append((p.code, p.short_name, procedure_texts(p)))
    if texts := service_texts(services):
        sections.append(("services", "Việc khác", texts))
    return tuple(sections)
