"""Validating chosen files or folders in the context of the library they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coach.library.loader import FOLDERS, KINDS, Kind, load_item
from coach.library.problems import LibraryFileError, Problem
from coach.library.registry import Library, default_root


@dataclass
class Report:
    """What `coach validate` found."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings."""
        return [p for p in self.problems if not p.is_error]


def library_root_of(path: Path) -> Path | None:
    """The library root a file or folder sits in, judged by the layout; None outside it."""
    path = path.resolve()
    if path.is_dir() and any((path / FOLDERS[k]).is_dir() for k in KINDS):
        return path
    folder = path if path.is_dir() else path.parent
    if folder.name == "scenarios" and folder.parent.name == "personas":
        return folder.parent.parent
    if folder.name in ("personas", "rubrics"):
        return folder.parent
    return None


def guess_kind(path: Path) -> Kind:
    """The kind of a file outside the library layout, from its `$schema` line or its keys."""
    head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    for kind in KINDS:
        if f"{kind}.schema.json" in head:
            return kind
    if "\ncriteria:" in head:
        return "rubric"
    if "\nbrief:" in head:
        return "scenario"
    return "persona"


def validate_library(root: str | Path | None = None) -> Report:
    """Validate a whole library (default: `COACH_LIBRARY_DIR` or the current folder)."""
    lib = Library(root if root is not None else default_root())
    return Report(lib.problems, len(lib.files))


def validate_paths(paths: list[Path]) -> Report:
    """Validate files and folders; files in a library are checked against the rest of it."""
    report = Report()
    libraries: dict[Path, Library] = {}
    for given in paths:
        if not given.exists():
            report.problems.append(Problem(str(given), None, "", "no such file or folder"))
            continue
        root = library_root_of(given)
        if root is None:
            report.problems += _standalone(given)
            report.files += len(_yaml_files(given))
            continue
        lib = libraries.get(root) or libraries.setdefault(root, Library(root))
        chosen = {p.resolve() for p in _yaml_files(given)}
        report.files += len(chosen)
        shown = str(given) if given.is_file() else None
        for problem in lib.problems:
            if (root / problem.file).resolve() in chosen:
                report.problems.append(_reroot(problem, root, shown))
    return report


def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.y*ml") if p.is_file())


def _standalone(path: Path) -> list[Problem]:
    out: list[Problem] = []
    for file in _yaml_files(path):
        try:
            load_item(guess_kind(file), file, str(file))
        except LibraryFileError as err:
            out += err.items
    return out


def _reroot(problem: Problem, root: Path, shown: str | None) -> Problem:
    """Show a problem with the path relative to the current folder when possible."""
    try:
        rel = (root / problem.file).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        rel = str(root / problem.file)
    return Problem(shown or rel, problem.line, problem.field, problem.message, problem.severity)
