"""Loading and validating the YAML data files, the registry, and their JSON Schemas."""

from coach.library.loader import (
    FOLDERS,
    KINDS,
    MODELS,
    SCHEMA_LINES,
    Kind,
    LoadedItem,
    load_item,
    load_persona,
    load_rubric,
    load_scenario,
    parse_text,
)
from coach.library.problems import LibraryFileError, Problem
from coach.library.registry import Library, default_root

__all__ = [
    "FOLDERS",
    "KINDS",
    "MODELS",
    "SCHEMA_LINES",
    "Kind",
    "Library",
    "LibraryFileError",
    "LoadedItem",
    "Problem",
    "default_root",
    "load_item",
    "load_persona",
    "load_rubric",
    "load_scenario",
    "parse_text",
]
