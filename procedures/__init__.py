"""The procedure catalogue and matching what a resident says to a procedure.

Public API::

    catalogue = load_catalogue()            # procedures/data, never raises for bad content
    catalogue.errors                        # CatalogueError(file, field, problem, expected)
    result = match("lam so do lan dau", catalogue)
    result.verdict                          # "match" | "ask" | "none"
    result.candidates                       # (Candidate(code, name, score), ...) best first

Text normalisation lives in the submodule ``procedures.normalize`` (``normalize``, ``fold``).
"""

from procedures.catalogue import (
    MAX_PAPERS,
    Catalogue,
    CatalogueError,
    default_directory,
    load_catalogue,
)
from procedures.matching import Candidate, MatchResult, match, rank
from procedures.model import (
    Answer,
    Channel,
    CounterType,
    Group,
    HandledBy,
    Need,
    Paper,
    Procedure,
    Question,
    Service,
)

__all__ = [
    "MAX_PAPERS",
    "Candidate",
    "Catalogue",
    "CatalogueError",
    "Channel",
    "CounterType",
    "Group",
    "HandledBy",
    "MatchResult",
    "Question",
    "Answer",
    "Need",
    "Paper",
    "Procedure",
    "Service",
    "default_directory",
    "load_catalogue",
    "match",
    "rank",
]
