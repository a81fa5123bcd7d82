"""Tests of coach.redteam and `coach redteam`."""
