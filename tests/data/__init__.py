"""Checks on the trainer-written library files (personas, scenarios, rubrics)."""
