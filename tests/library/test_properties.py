"""Property: whatever text a trainer saves, loading fails only with DataFileError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.domain.errors import DataFileError
from coach.library import parse_text
from coach.library.loader import KINDS
from tests.library.fixtures import PERSONA, RUBRIC, SCENARIO

YAMLISH = st.lists(
    st.sampled_from(
        [
            *"abc:-[]{}&*!|>'\"#%@`?,\n \t0123456789.",
            *["<<: ", "!!python/name:os.system ", "&a ", "*a", "- ", "\n  ", "id: ", "---\n"],
        ]
    ),
    max_size=60,
).map("".join)


def _mutate(text: str, at: int, cut: int, insert: str) -> str:
    at %= len(text)
    return text[:at] + insert + text[at + cut :]


def _load(kind: str, text: str) -> None:
    try:
        parse_text(kind, text, "F")  # type: ignore[arg-type]
    except DataFileError as err:
        assert err.problems, "a DataFileError must say what is wrong"
        assert all(p.startswith("F") for p in err.problems)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), text=st.text(max_size=300))
def test_arbitrary_text_only_raises_data_file_error(kind: str, text: str) -> None:
    _load(kind, text)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), text=YAMLISH)
def test_yaml_punctuation_only_raises_data_file_error(kind: str, text: str) -> None:
    _load(kind, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([("persona", PERSONA), ("scenario", SCENARIO), ("rubric", RUBRIC)]),
    at=st.integers(min_value=0),
    cut=st.integers(min_value=0, max_value=20),
    insert=YAMLISH,
)
def test_mutated_valid_files_only_raise_data_file_error(
    base: tuple[str, str], at: int, cut: int, insert: str
) -> None:
    kind, text = base
    _load(kind, _mutate(text, at, cut, insert))


def test_deep_nesting_is_a_data_file_error(tmp_path: Path) -> None:
    _load("persona", "a: " + "[" * 5000 + "]" * 5000)


def test_alias_bomb_is_a_data_file_error() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    _load("persona", "\n".join(lines) + "\n")
