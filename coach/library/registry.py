"""The library of personas, scenarios and rubrics: loaded, checked, hot-reloaded, pinned."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from coach.domain.errors import UserError
from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.library import checks
from coach.library.loader import FOLDERS, KINDS, Kind, LoadedItem, load_item
from coach.library.problems import LibraryFileError, Problem, did_you_mean

Stamp = tuple[int, int, int]
DEFAULT_RUBRIC = "default"
M = TypeVar("M", bound=BaseModel)


@dataclass
class _FileState:
    kind: Kind
    display: str
    stamp: Stamp
    latest: LoadedItem[Any] | None = None
    """The file as it is now, when it parses and validates on its own."""
    good: LoadedItem[Any] | None = None
    """The last version that passed every check: the one in service."""
    load_problems: list[Problem] = field(default_factory=list)


def default_root() -> Path:
    """`COACH_LIBRARY_DIR`, else the current directory."""
    return Path(os.environ.get("COACH_LIBRARY_DIR") or ".")


def _stamp(path: Path) -> Stamp:
    st = path.stat()
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size)


class Library:
    """Everything under a library root; bad files are reported, never fatal.

    `refresh()` re-scans by modification time and size. A file that breaks after an edit
    keeps its last good version in service, and its problems are listed in `problems`.
    Safe to share between threads (one lock guards every read and reload).
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self._lock = threading.RLock()
        self._files: dict[Path, _FileState] = {}
        self._served: dict[Kind, dict[str, LoadedItem[Any]]] = {k: {} for k in KINDS}
        self._problems: list[Problem] = []
        self.refresh(force=True)

    # -- loading -------------------------------------------------------------------------

    def _scan(self) -> tuple[dict[Path, Kind], list[Problem]]:
        found: dict[Path, Kind] = {}
        ignored = []
        for kind in KINDS:
            folder = self.root / FOLDERS[kind]
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.suffix == ".yaml" and path.is_file():
                    found[path] = kind
                elif path.suffix == ".yml":
                    ignored.append(
                        Problem(
                            self._display(path),
                            None,
                            "",
                            f"ignored: {kind} files must end in .yaml; rename it to "
                            f"'{path.stem}.yaml'",
                            "warning",
                        )
                    )
        return found, ignored

    def _display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def refresh(self, *, force: bool = False) -> bool:
        """Reload new and changed files and drop deleted ones; True when anything changed."""
        with self._lock:
            found, ignored = self._scan()
            changed = force
            for path in [p for p in self._files if p not in found]:
                del self._files[path]
                changed = True
            for path, kind in found.items():
                try:
                    stamp = _stamp(path)
                except OSError:
                    continue
                state = self._files.get(path)
                if state is not None and state.stamp == stamp and state.kind == kind:
                    continue
                if state is None:
                    state = self._files[path] = _FileState(kind, self._display(path), stamp)
                state.stamp = stamp
                try:
                    state.latest = load_item(kind, path, state.display)
                    state.load_problems = []
                except LibraryFileError as err:
                    state.latest, state.load_problems = None, err.items
                changed = True
            if changed:
                self._recheck(ignored)
            return changed

    def _recheck(self, ignored: list[Problem]) -> None:
        """Run cross-file checks on the newest versions and decide what is in service."""
        effective: dict[Kind, list[LoadedItem[Any]]] = {k: [] for k in KINDS}
        for state in self._files.values():
            item = state.latest or state.good
            if item is not None:
                effective[state.kind].append(item)
        scenarios = {i.id: i.model for i in effective["scenario"]}
        found: list[Problem] = []
        for kind in KINDS:
            found += checks.check_duplicates(effective[kind])
            for item in effective[kind]:
                found += checks.check_file_basics(item)
                if kind == "persona":
                    found += checks.check_persona(item, scenarios)
        found += checks.check_unused_scenarios(
            effective["scenario"], [i.model for i in effective["persona"]]
        )
        problems = list(ignored)
        for state in self._files.values():
            mine = [p for p in found if p.file == state.display]
            if state.latest is None:
                problems += state.load_problems
            else:
                problems += mine
                if not any(p.is_error for p in mine):
                    state.good = state.latest
            if state.good is not None and state.good is not state.latest:
                problems.append(
                    Problem(
                        state.display,
                        None,
                        "",
                        f"the file has errors; its last good version ({state.good.version}) "
                        "stays in service until they are fixed",
                        "warning",
                    )
                )
        self._served = {k: {} for k in KINDS}
        for state in sorted(self._files.values(), key=lambda s: s.display):
            if state.good is not None:
                self._served[state.kind].setdefault(state.good.id, state.good)
        self._problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.message))

    # -- reading -------------------------------------------------------------------------

    def _models(self, kind: Kind) -> dict[str, Any]:
        with self._lock:
            return {i: item.model for i, item in sorted(self._served[kind].items())}

    @property
    def personas(self) -> dict[str, Persona]:
        """Personas in service, by id."""
        return self._models("persona")

    @property
    def scenarios(self) -> dict[str, Scenario]:
        """Scenarios in service, by id."""
        return self._models("scenario")

    @property
    def rubrics(self) -> dict[str, Rubric]:
        """Rubrics in service, by id."""
        return self._models("rubric")

    @property
    def problems(self) -> list[Problem]:
        """Every error and warning found by the last refresh, sorted by file and line."""
        with self._lock:
            return list(self._problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings (including 'last good version kept')."""
        return [p for p in self.problems if not p.is_error]

    @property
    def files(self) -> list[str]:
        """Every data file scanned, as displayed in problems."""
        with self._lock:
            return sorted(s.display for s in self._files.values())

    def item(self, kind: Kind, item_id: str) -> LoadedItem[Any]:
        """The loaded item in service; UserError with suggestions when unknown."""
        with self._lock:
            served = self._served[kind]
            if item_id in served:
                return served[item_id]
            known = sorted(served)
        hint = did_you_mean(item_id, known) or (
            f"; known {kind}s: " + (", ".join(known) if known else "none")
        )
        raise UserError(f"unknown {kind} {item_id!r}{hint}")

    def get_persona(self, persona_id: str) -> Persona:
        """The persona with that id; UserError with close matches when unknown."""
        model = self.item("persona", persona_id).model
        assert isinstance(model, Persona)
        return model

    def get_scenario(self, scenario_id: str) -> Scenario:
        """The scenario with that id; UserError with close matches when unknown."""
        model = self.item("scenario", scenario_id).model
        assert isinstance(model, Scenario)
        return model

    def get_rubric(self, rubric_id: str) -> Rubric:
        """The rubric with that id; UserError with close matches when unknown."""
        model = self.item("rubric", rubric_id).model
        assert isinstance(model, Rubric)
        return model

    def version_of(self, kind: Kind, item_id: str) -> str:
        """Content hash (sha256 of the file, 12 hex digits) of the version in service."""
        return self.item(kind, item_id).version

    def default_rubric_id(self) -> str:
        """'default' when there is one, else the first rubric id; UserError when none."""
        ids = sorted(self.rubrics)
        if not ids:
            raise UserError(f"no rubrics in {self.root / FOLDERS['rubric']}")
        return DEFAULT_RUBRIC if DEFAULT_RUBRIC in ids else ids[0]

    def snapshot(
        self, persona_id: str, scenario_id: str | None = None, rubric_id: str | None = None
    ) -> tuple[Persona, Scenario, Rubric, dict[str, str]]:
        """Deep copies pinned for a session, and their versions by kind.

        `scenario_id` defaults to the persona's scenario, `rubric_id` to `default_rubric_id()`.
        Later edits and reloads never change the returned objects.
        """
        with self._lock:
            persona_item = self.item("persona", persona_id)
            persona = persona_item.model
            assert isinstance(persona, Persona)
            scenario_item = self.item("scenario", scenario_id or persona.scenario)
            rubric_item = self.item("rubric", rubric_id or self.default_rubric_id())
            versions = {
                "persona": persona_item.version,
                "scenario": scenario_item.version,
                "rubric": rubric_item.version,
            }
            return (
                _copy(persona, Persona),
                _copy(scenario_item.model, Scenario),
                _copy(rubric_item.model, Rubric),
                versions,
            )


def _copy(model: BaseModel, cls: type[M]) -> M:
    assert isinstance(model, cls)
    return model.model_copy(deep=True)
