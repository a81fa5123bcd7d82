"""Test helpers shared across the suite (the OpenAI-compatible stub server)."""
