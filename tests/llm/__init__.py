"""Tests of coach.llm."""
