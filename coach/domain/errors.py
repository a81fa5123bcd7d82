"""One error hierarchy: user/config mistakes apart from model misbehaviour."""

from __future__ import annotations


class CoachError(Exception):
    """Base class of every error coach raises on purpose."""


class UserError(CoachError):
    """A mistake the user can fix: bad input, a bad data file, a wrong option."""


class DataFileError(UserError):
    """A data file (persona, scenario, rubric, transcript) is invalid.

    `problems` holds one line per problem, each as `FILE:LINE: FIELD: message`.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems) if self.problems else "invalid data file")


class InputRejected(UserError):
    """A trainee message that cannot be accepted as it is (empty, too long, ...)."""


class ModelError(CoachError):
    """The language model failed: unreachable, timed out, or returned something unusable."""


class ModelUnavailable(ModelError):
    """The endpoint could not be reached or kept failing after retries."""


class UnexpectedModelOutput(ModelError):
    """The model answered, but its output does not parse or breaks the schema."""

    def __init__(self, message: str, output: str = "", attempts: int = 1) -> None:
        self.output = output
        self.attempts = attempts
        super().__init__(message)
