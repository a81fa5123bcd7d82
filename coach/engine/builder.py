"""The session graph, built in one place from nodes named after what they do."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from coach.engine.context import SessionContext
from coach.engine.nodes.evaluator import evaluator
from coach.engine.nodes.feedback import feedback
from coach.engine.nodes.intake import intake, route_after_intake
from coach.engine.nodes.review import review
from coach.engine.nodes.speaker import speaker
from coach.engine.nodes.strategist import route_after_strategist, strategist
from coach.engine.state import SessionState, TurnInput


def build_graph() -> StateGraph[SessionState, SessionContext, TurnInput, SessionState]:
    """The uncompiled graph: intake → strategist → (speaker ∥ evaluator) → feedback;
    intake → review on 'end'. Compile it with the checkpointer of your choice."""
    builder = StateGraph(SessionState, context_schema=SessionContext, input_schema=TurnInput)
    builder.add_node(intake)
    builder.add_node(strategist)
    builder.add_node(speaker)
    builder.add_node(evaluator)
    builder.add_node(feedback)
    builder.add_node(review)
    builder.add_edge(START, "intake")
    builder.add_conditional_edges("intake", route_after_intake, ["strategist", "review", END])
    builder.add_conditional_edges("strategist", route_after_strategist, ["speaker", "evaluator"])
    builder.add_edge("speaker", "feedback")
    builder.add_edge("evaluator", "feedback")
    builder.add_edge("feedback", END)
    builder.add_edge("review", END)
    return builder
