"""Reading one data file: bytes checks, safe YAML with positions, then the pydantic model."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from coach.domain.persona import Persona
from coach.domain.rubric import Rubric
from coach.domain.scenario import Scenario
from coach.library.messages import describe, problems_from_validation
from coach.library.problems import LibraryFileError, Problem
from coach.library.yamlpos import Located, parse_yaml

Kind = Literal["persona", "scenario", "rubric"]
KINDS: tuple[Kind, ...] = ("persona", "scenario", "rubric")
MODELS: dict[Kind, type[BaseModel]] = {
    "persona": Persona,
    "scenario": Scenario,
    "rubric": Rubric,
}
FOLDERS: dict[Kind, str] = {
    "persona": "personas",
    "scenario": "personas/scenarios",
    "rubric": "rubrics",
}
"""Where each kind lives under the library root (`<folder>/<id>.yaml`)."""
SCHEMA_LINES: dict[Kind, str] = {
    "persona": "# yaml-language-server: $schema=../schemas/persona.schema.json",
    "scenario": "# yaml-language-server: $schema=../../schemas/scenario.schema.json",
    "rubric": "# yaml-language-server: $schema=../schemas/rubric.schema.json",
}
"""The first line each kind's files should carry, so editors validate as trainers type."""
MAX_BYTES = 1_000_000
EMPTY = "the file is empty; it needs the fields of its kind"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedItem(Generic[M]):
    """A data file that passed its own validation."""

    kind: Kind
    model: M
    path: Path
    display: str
    """The path as problems show it, e.g. `personas/bully.yaml`."""
    version: str
    """First 12 hex digits of the sha256 of the file's bytes."""
    located: Located
    """The parsed YAML with node positions (for cross-file checks that need a line)."""

    @property
    def id(self) -> str:
        """The item's id."""
        return str(getattr(self.model, "id"))  # noqa: B009 - every data model has an id

    def line_of(self, *path: str | int, key: bool = False) -> int | None:
        """Line of the value at the path (of its key when `key`)."""
        return self.located.line_of(tuple(path), key=key)


def content_version(data: bytes) -> str:
    """The content hash used as a version: sha256, first 12 hex digits."""
    return hashlib.sha256(data).hexdigest()[:12]


def read_text(path: Path, display: str) -> tuple[bytes, str]:
    """The file's bytes and its UTF-8 text; size, encoding and emptiness are checked here."""

    def fail(line: int | None, message: str) -> LibraryFileError:
        return LibraryFileError([Problem(display, line, "", message)])

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise fail(None, f"the file is too large ({size:,} bytes; the limit is 1 MB)")
        data = path.read_bytes()
    except OSError as err:
        raise fail(None, f"cannot read the file: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise fail(None, f"the file is too large ({len(data):,} bytes; the limit is 1 MB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise fail(
            line,
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise fail(1, EMPTY)
    return data, text


def validate_located(model: type[M], located: Located, display: str) -> M:
    """Validate parsed data as `model`; problems carry the YAML line of each bad node."""
    if not isinstance(located.data, dict):
        line = located.line_of(())
        raise LibraryFileError(
            [
                Problem(
                    display,
                    line,
                    "",
                    f"expected a mapping of fields at the top level (key: value lines), "
                    f"got {describe(located.data)}",
                )
            ]
        )
    try:
        return model.model_validate(located.data)
    except ValidationError as err:
        raise LibraryFileError(problems_from_validation(err, model, located, display)) from None


def load_item(kind: Kind, path: str | Path, display: str | None = None) -> LoadedItem[BaseModel]:
    """Load and validate one data file; any problem raises LibraryFileError (a DataFileError)."""
    path = Path(path)
    shown = display or str(path)
    data, text = read_text(path, shown)
    located = parse_yaml(text, shown)
    model = validate_located(MODELS[kind], located, shown)
    return LoadedItem(kind, model, path, shown, content_version(data), located)


def load_persona(path: str | Path) -> Persona:
    """Load one persona file on its own (no cross-file checks)."""
    model = load_item("persona", path).model
    assert isinstance(model, Persona)
    return model


def load_scenario(path: str | Path) -> Scenario:
    """Load one scenario file on its own (no cross-file checks)."""
    model = load_item("scenario", path).model
    assert isinstance(model, Scenario)
    return model


def load_rubric(path: str | Path) -> Rubric:
    """Load one rubric file on its own (no cross-file checks)."""
    model = load_item("rubric", path).model
    assert isinstance(model, Rubric)
    return model


def parse_text(kind: Kind, text: str, display: str = "<text>") -> BaseModel:
    """Validate YAML text as a data file of `kind` (used by tests and tools)."""
    return validate_located(MODELS[kind], parse_yaml(text, display), display)
