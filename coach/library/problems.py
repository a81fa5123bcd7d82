"""Problems found in data files, each printable as `FILE:LINE: FIELD: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from coach.domain.errors import DataFileError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or doubtful, for a warning) in one data file."""

    file: str
    """The file as the user should see it, e.g. `personas/bully.yaml`."""
    line: int | None
    """1-based line of the offending node; None when the file as a whole is at fault."""
    field: str
    """Where in the data, e.g. `tactics[2]`; empty for the whole file."""
    message: str
    """What is wrong and how to fix it, in trainer language."""
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where, self.field, self.message] if self.field else [where, self.message]
        return ": ".join(parts)

    def render(self) -> str:
        """The line `coach validate` prints: warnings carry a `warning: ` prefix."""
        return str(self) if self.is_error else f"warning: {self}"


class LibraryFileError(DataFileError):
    """A data file could not be loaded; `items` keeps the structured problems."""

    def __init__(self, items: Iterable[Problem]) -> None:
        self.items = list(items)
        super().__init__([str(p) for p in self.items])


def did_you_mean(word: str, choices: Iterable[str], *, n: int = 1) -> str:
    """`; did you mean 'x'?` for the closest choices, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"


def quoted_list(choices: Iterable[str]) -> str:
    """`'a', 'b', 'c'` for a message."""
    return ", ".join(repr(c) for c in choices)
