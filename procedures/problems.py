"""A problem in one of the catalogue's data files, worded for the content editor who fixes it.

Shared by the procedure files (``procedures.catalogue``) and the everyday-language files
(``procedures.everyday``), so ``hotro procedures check`` reports both the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CatalogueError"]


@dataclass(frozen=True, slots=True)
class CatalogueError:
    """One problem in one catalogue file, worded for the content editor."""

    file: str
    """File name inside the catalogue folder, e.g. "dang-ky-khai-sinh.yaml"."""
    field: str
    """Field path, e.g. "papers[2].need"; empty when the problem is the whole file."""
    problem: str
    """What is wrong, e.g. "'maybe' is not allowed"."""
    expected: str
    """What is expected instead, e.g. "always or sometimes"."""
    line: int | None = None
    """1-based line in the file where the field starts, when known."""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}: " if self.field else f"{self.file}: "
        return f"{where}{self.problem}; expected {self.expected}"
