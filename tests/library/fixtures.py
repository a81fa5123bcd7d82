"""A small valid library written to a temporary folder, and helpers to break it."""

from __future__ import annotations

from pathlib import Path

PERSONA = """\
# yaml-language-server: $schema=../schemas/persona.schema.json
id: envoy
name: Viktor Hale
title: Special Envoy
scenario: border-talks
summary: A patient envoy who slices concessions thin.
voice: Measured, formal, never raises his voice.
temperament: patient
goals:
  - Secure the corridor
hidden_bottom_line: Would settle for a joint patrol.
tactics:
  - deadline_pressure
  - salami_slicing
  - threat
demands:
  - access to the northern corridor
  - a permanent checkpoint
ladder:
  start: 0
  levels:
    - name: Courtesy
      posture: Polite but firm requests.
      moves: [salami_slicing]
    - name: Pressure
      posture: Deadlines and warnings.
      moves:
        - deadline_pressure
        - threat
phrasebook:
  openers:
    press: ["Let us continue."]
    ease: ["I hear you."]
    warn: ["Careful."]
    acknowledge: ["Fair point."]
    engage: ["Go on."]
  tactics:
    deadline_pressure:
      - "We need {demand} by {deadline}."
      - "The clock is running, {trainee_role}."
      - "Decide before {deadline}."
    salami_slicing:
      - "Only {next_demand}, nothing more."
      - "A small step: {demand}."
      - "After {previous_demand}, surely {demand}."
    threat:
      - "There will be consequences."
      - "My government will act."
      - "Do not test us."
  neutral:
    - "Tell me more."
"""

SCENARIO = """\
# yaml-language-server: $schema=../../schemas/scenario.schema.json
id: border-talks
title: Border talks
trainee_role: Deputy Foreign Minister
counterpart_role: Special Envoy
context: A disputed border, a closing window, and an envoy who wants more.
brief:
  objectives:
    - Keep the corridor open
  red_lines:
    - id: no-troops
      statement: No foreign troops on our soil, under any name.
  fallback: Refer the matter to the regional court.
facts:
  - The corridor carries most of our grain exports.
terms:
  deadline: Friday noon
"""

RUBRIC = """\
# yaml-language-server: $schema=../schemas/rubric.schema.json
id: default
title: Core rubric
criteria:
  - id: tone
    name: Tone
    description: Stays calm and professional under pressure.
    weight: 1
    levels:
      1: Hostile or insulting.
      2: Often heated.
      3: Mostly calm.
      4: Calm and firm.
      5: Calm, firm and warm.
"""


def write(root: Path, rel: str, text: str | bytes) -> Path:
    """Write a file under root, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def make_library(root: Path) -> Path:
    """A valid library: one persona, its scenario and the default rubric."""
    write(root, "personas/envoy.yaml", PERSONA)
    write(root, "personas/scenarios/border-talks.yaml", SCENARIO)
    write(root, "rubrics/default.yaml", RUBRIC)
    return root
