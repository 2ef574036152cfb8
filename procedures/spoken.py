"""The catalogue's texts that the terminal speaks, per procedure and for the groups.

The voice gives each of these texts its own recorded clip (``voices.compose``: a hash of the
language and the exact text), and the desk's recording studio lists them in this order.
"""

from __future__ import annotations

from collections.abc import Iterable

from procedures.model import Group, Procedure


def procedure_texts(p: Procedure) -> tuple[str, ...]:
    """Every text of ``p`` the terminal may speak, in the order a visit meets them, each once."""
    texts = [p.short_name, p.spoken_name, p.summary, p.who, p.fee, p.time]
    for paper in p.papers:
        texts += [paper.short, paper.when or "", paper.explain, paper.where_to_get]
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def group_texts(groups: Iterable[Group]) -> tuple[str, ...]:
    """The group names and their spoken descriptions, in screen order."""
    texts: list[str] = []
    for g in sorted(groups, key=lambda g: g.order):
        texts += [g.name.strip(), g.spoken_name.strip()]
    return tuple(dict.fromkeys(t for t in texts if t))


def spoken_sections(
    groups: Iterable[Group], procedures: Iterable[Procedure], centre: str = ""
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, title, texts): the centre's name (read at the top of the slip) when given, the
    groups, then each procedure in group and name order."""
    groups = tuple(groups)
    order = {g.id: g.order for g in groups}
    sections = [("centre", "Tên Trung tâm", (centre.strip(),))] if centre.strip() else []
    sections.append(("groups", "Nhóm việc", group_texts(groups)))
    for p in sorted(procedures, key=lambda p: (order.get(p.group, 99), p.short_name)):
        sections.append((p.code, p.short_name, procedure_texts(p)))
    return tuple(sections)
