"""Shared pydantic base classes for data files and messages."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DataModel(BaseModel):
    """A model loaded from a trainer-written file: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class OpenModel(BaseModel):
    """A model read from the interchange format: extra fields are kept, never lost."""

    model_config = ConfigDict(extra="allow")
