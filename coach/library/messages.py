"""Pydantic validation errors, translated into trainer language and placed on a YAML line."""

from __future__ import annotations

import difflib
import re
import types
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from coach.domain.scenario import SLUG
from coach.domain.tactics import TACTIC_IDS
from coach.library.problems import Problem, did_you_mean, quoted_list
from coach.library.yamlpos import Located, PathKey, render_path

_KEY = "[key]"


def problems_from_validation(
    err: ValidationError, model: type[BaseModel], located: Located, source: str
) -> list[Problem]:
    """One Problem per pydantic error, with a friendly message and the line of the node."""
    out = []
    details = err.errors()
    for detail in details:
        loc = tuple(detail["loc"])
        if _explained_by_typo(detail, details, model):
            continue
        path, message = _translate(detail, loc, model, located)
        is_key = bool(loc) and loc[-1] == _KEY
        missing_or_extra = detail["type"] in ("missing", "extra_forbidden", "invalid_key")
        if detail["type"] == "missing":
            line = located.line_of(path[:-1], key=True)
        else:
            line = located.line_of(path, key=is_key or missing_or_extra)
        out.append(Problem(source, line, render_path(path), message))
    return out


def _explained_by_typo(
    detail: ErrorDetails, details: list[ErrorDetails], model: type[BaseModel]
) -> bool:
    """A missing field whose misspelling is reported as an unknown field says it twice."""
    if detail["type"] != "missing":
        return False
    loc = tuple(detail["loc"])
    names = _field_names(_annotation_at(model, loc[:-1]))
    for other in details:
        other_loc = tuple(other["loc"])
        if other["type"] == "extra_forbidden" and other_loc[:-1] == loc[:-1]:
            close = difflib.get_close_matches(str(other_loc[-1]), names, n=1, cutoff=0.6)
            if close and close[0] == loc[-1]:
                return True
    return False


def _translate(
    detail: ErrorDetails, loc: PathKey, model: type[BaseModel], located: Located
) -> tuple[PathKey, str]:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    is_key = bool(loc) and loc[-1] == _KEY
    path = loc[:-1] if is_key else loc
    annotation = _annotation_at(model, path, key=is_key)
    if kind == "missing":
        return path, f"missing required field {path[-1]!r}"
    if kind == "extra_forbidden":
        names = _field_names(_annotation_at(model, path[:-1]))
        hint = did_you_mean(str(path[-1]), names) or "; allowed fields: " + ", ".join(names)
        return path, f"unknown field {path[-1]!r}{hint}"
    if kind == "invalid_key":
        return path, f"unknown field {path[-1]!r}; field names are words, not numbers"
    if kind in ("literal_error", "enum"):
        return path, _unknown_choice(value, annotation, str(ctx.get("expected", "")), is_key)
    if kind == "value_error":
        return _value_error(path, str(ctx.get("error", detail["msg"])), located)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG:
        return path, (
            f"{value!r} is not a valid id: use lowercase letters, digits and hyphens "
            "(e.g. 'border-crisis')"
        )
    return path, _plain(kind, value, ctx, detail["msg"], key=is_key)


def _unknown_choice(value: Any, annotation: Any, expected: str, is_key: bool) -> str:
    choices = _choices(annotation) or re.findall(r"'([^']*)'", expected)
    noun = _noun(annotation, choices)
    if not isinstance(value, str):
        return f"expected a {noun} name, got {describe(value)}; one of {quoted_list(choices)}"
    what = f"unknown {noun} {value!r}"
    hint = did_you_mean(value, choices)
    return what + (hint or f"; expected one of {quoted_list(choices)}")


def _noun(annotation: Any, choices: list[str]) -> str:
    if set(choices) == set(TACTIC_IDS):
        return "tactic"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation.__name__.lower()
    return "value"


def _value_error(path: PathKey, text: str, located: Located) -> tuple[PathKey, str]:
    text = text.removeprefix("Value error, ")
    data = _get(located.data, path)
    first = text.split(" ", 1)[0]
    if isinstance(data, dict) and first in data:
        return (*path, first), text  # "start 5 is past ..." belongs on the `start` line
    term = re.match(r"term name '([^']*)'", text)
    if term and isinstance(data, dict) and isinstance(data.get("terms"), dict):
        return (*path, "terms", term.group(1)), text
    twice = re.search(r"id '([^']*)' is used twice", text)
    if twice and isinstance(data, list):
        hits = [
            i
            for i, item in enumerate(data)
            if isinstance(item, dict) and str(item.get("id")) == twice.group(1)
        ]
        if len(hits) > 1:
            return (*path, hits[-1], "id"), text
    return path, text


_TYPES = {
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _plain(kind: str, value: Any, ctx: dict[str, Any], default: str, *, key: bool) -> str:
    if kind in _TYPES:
        quotable = kind == "string_type" and isinstance(value, int | float | bool)
        hint = f'; put it in quotes: "{value}"' if quotable else ""
        if key:
            return f"expected {_TYPES[kind]} as the key, got {describe(value)}"
        return f"expected {_TYPES[kind]}, got {describe(value)}{hint}"
    if kind == "string_too_short":
        if isinstance(value, str) and not value.strip():
            return "must not be empty"
        return f"too short: write at least {ctx.get('min_length')} characters"
    if kind == "too_short":
        count = len(value) if isinstance(value, list | dict) else 0
        return f"needs at least {ctx.get('min_length')} item(s), has {count}"
    if kind == "too_long":
        return f"too many items: at most {ctx.get('max_length')}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, name = bounds[kind]
        return f"must be {words} {ctx.get(name)}, got {value!r}"
    return default


def describe(value: Any) -> str:
    """A trainer's word for what a YAML value turned out to be."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_short(value)!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    return type(value).__name__


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _annotation_at(model: type[BaseModel], path: PathKey, *, key: bool = False) -> Any:
    """The type annotation of the value at `path` (of its dict key when `key`)."""
    current: Any = model
    for i, part in enumerate(path):
        current = _unwrap_optional(current)
        origin = get_origin(current)
        last = i == len(path) - 1
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif origin is list:
            current = get_args(current)[0]
        elif origin is dict:
            key_type, value_type = get_args(current)
            current = key_type if (key and last) else value_type
        else:
            return None
    return _unwrap_optional(current)


def _field_names(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _choices(annotation: Any) -> list[str]:
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    return []
