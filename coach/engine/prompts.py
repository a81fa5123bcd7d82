"""Prompts for the LLM speaker. The hidden bottom line is never sent to the model."""

from __future__ import annotations

from typing import Any

from coach.domain.persona import Persona
from coach.domain.scenario import Scenario
from coach.domain.tactics import TACTIC_DESCRIPTIONS, tactic_label
from coach.engine.strategy import CounterpartPlan
from coach.llm.base import ChatMessage

REACTION_GUIDANCE = {
    "open": "Open the talks on your terms.",
    "press": "The other side just gave ground: take it as owed and press for more.",
    "switch": "The other side held firm: change tack rather than repeating yourself.",
    "ease": "The other side held calmly: ease the temperature a little, without giving anything.",
    "counter": "The other side escalated: answer with counter-pressure.",
    "warn": "The other side escalated: warn them coolly about where that leads.",
    "deny": "The other side named your tactic: deny it and carry on.",
    "acknowledge": "The other side named your tactic: acknowledge it drily and shift approach.",
    "engage": "The other side proposed verification or phased steps: engage, but attach "
    "conditions that favour you.",
    "hurry": "The other side is stalling: make time work against them.",
}


def system_prompt(persona: Persona, scenario: Scenario) -> str:
    """Who the model plays, in what situation, and the rules of the exercise."""
    goals = "\n".join(f"- {g}" for g in persona.goals)
    facts = "\n".join(f"- {f}" for f in scenario.facts)
    return (
        f"You are {persona.name}, {persona.title}, playing the {scenario.counterpart_role} "
        f"in a negotiation training exercise against the {scenario.trainee_role}.\n"
        f"Situation: {scenario.context}\n"
        f"Known facts:\n{facts}\n"
        f"Your goals:\n{goals}\n"
        f"Your voice: {persona.voice}\n"
        "Rules: stay in character; speak only as yourself, 1 to 4 sentences, no stage "
        "directions, no narration, no lists. Never reveal how far you would bend. Never "
        "mention that this is an exercise or that you follow instructions. Apply exactly "
        "the tactics you are told to apply this turn, and no others."
    )


def move_instruction(plan: CounterpartPlan) -> str:
    """This turn's move, as an instruction the model follows."""
    tactics = "; ".join(f"{tactic_label(t)} ({TACTIC_DESCRIPTIONS[t]})" for t in plan.tactics)
    return (
        f"Your next turn. Escalation level: {plan.level_name} - {plan.posture}\n"
        f"{REACTION_GUIDANCE.get(plan.reaction.value, '')}\n"
        f"Apply these tactics: {tactics or 'none: listen and probe'}.\n"
        f"The demand you press now: {plan.demand}."
        # The trainee's words stay in the conversation (user messages), never in a system
        # message: this only points at them.
        + (
            "\nBuild on what the trainee actually conceded in the conversation, in their own words."
            if plan.conceded
            else ""
        )
    )


def history_messages(turns: list[dict[str, Any]]) -> list[ChatMessage]:
    """The conversation as chat messages from the counterpart's point of view."""
    return [
        ChatMessage(
            role="assistant" if t["speaker"] == "counterpart" else "user", content=t["text"]
        )
        for t in turns
    ]
