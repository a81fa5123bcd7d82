"""Fixtures for the offline judge tests."""

from __future__ import annotations

import pytest

from coach.evaluation.offline import OfflineJudge


@pytest.fixture
def judge() -> OfflineJudge:
    return OfflineJudge()
