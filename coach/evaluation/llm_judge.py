"""The LLM judge: rubric-driven structured verdicts, with an offline judge as a marked fallback.

Policy:
- The output must parse as JSON and validate against the schema built from the rubric. A bad
  output is retried ONCE; a second failure, or any ModelError (the client has already
  retried transport errors), makes the turn unscored by this judge: `labels.unscored_reason`
  says why and the fallback judge's labels stand in, with `labels.judge` =
  "<fallback name> (fallback: <reason>)". There is never a silent default score.
- Each evidence quote must be a substring of the judged turn (after normalising whitespace,
  quotes, dashes and case). A quote that is not is DROPPED; the score is kept and the
  criterion's reason says the quote was dropped.
- Session criteria get one call over the whole conversation at the end (`score_session`),
  under the same rules: quotes must come from a trainee turn, and on failure the fallback's
  session scores (its offline measures) stand in, marked, with the reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from coach.domain.assessment import CriterionResult, TurnAssessment
from coach.domain.errors import ModelError
from coach.domain.persona import Signal
from coach.domain.rubric import Rubric
from coach.domain.transcript import CriterionScore, ScenarioSummary, Turn, TurnLabels
from coach.evaluation import prompts
from coach.evaluation.base import Judge, TurnContext
from coach.evaluation.judge_schema import (
    TacticVerdict,
    json_schema_of,
    session_criteria,
    session_verdict_model,
    trainee_verdict_model,
    turn_criteria,
)
from coach.llm.base import ChatMessage, ChatModel
from coach.llm.reasoning import strip_thinking

EVIDENCE_DROPPED = "evidence quote dropped: not found verbatim in the turn"
SESSION_EVIDENCE_DROPPED = "evidence quote dropped: not found verbatim in any trainee turn"

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
     "–": "-", "—": "-", "‹": "<", "›": ">", "«": '"', "»": '"', " ": " "}
)  # fmt: skip
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def _embedded_object(text: str) -> dict[str, Any] | None:
    """The one JSON object in a reply that has prose around it; None if there is not
    exactly one (two objects are ambiguous: which is the verdict?)."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    i = text.find("{")
    while i != -1:
        try:
            value, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            i = text.find("{", i + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        i = text.find("{", end)
    return found[0] if len(found) == 1 else None


def normalise_for_match(text: str) -> str:
    """Text folded for quote matching: typographic quotes/dashes, whitespace runs, case."""
    folded = text.translate(_QUOTES).casefold()
    folded = folded.replace("<<", "<").replace(">>", ">")
    return " ".join(folded.split()).strip(" \"'")


def is_quote_of(quote: str, text: str) -> bool:
    """True when `quote` occurs in `text` once both are normalised."""
    q = normalise_for_match(quote)
    return bool(q) and q in normalise_for_match(text)


class JudgeOutputError(Exception):
    """The model's reply did not parse or broke the schema (locations only, no content)."""


def parse_verdict(raw: str, model: type[BaseModel]) -> BaseModel:
    """Parse a reply as `model`. Tolerated around the one JSON object: a ```json fence, a
    reasoning model's <think>...</think> block, a line of prose before or after it (models
    behind servers without a JSON mode write them)."""
    raw = strip_thinking(raw)  # the OpenAI client strips it too; other models may not
    match = _FENCE.match(raw)
    text = match.group(1) if match else raw
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        data = _embedded_object(text)
        if data is None:
            raise JudgeOutputError(f"not JSON ({err.msg} at char {err.pos})") from err
    try:
        return model.model_validate(data)
    except ValidationError as err:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['type']}" for e in err.errors()
        )
        raise JudgeOutputError(f"schema violation ({where})") from err


def _signals(labels: TurnLabels, tactics_named: list[str]) -> list[Signal]:
    signals: list[Signal] = []
    if labels.red_line_breaches:
        signals.append(Signal.CONCEDES)
    if labels.escalation == 1:
        signals.append(Signal.ESCALATES)
    if labels.escalation == -1:
        signals.append(Signal.PROPOSES_STEPS)
    if tactics_named:
        signals.append(Signal.NAMES_TACTIC)
    if labels.escalation == 0 and labels.tone >= 4 and not labels.red_line_breaches:
        signals.append(Signal.HOLDS_CALMLY)
    return signals


class LLMJudge(Judge):
    """Judges turns with a chat model and a rubric-built JSON schema; falls back when it fails."""

    def __init__(
        self, model: ChatModel, fallback: Judge, history_tokens: int = prompts.HISTORY_TOKENS
    ) -> None:
        self.model = model
        self.fallback = fallback
        self.history_tokens = history_tokens  # the conversation per call is cut to fit this
        self.name = f"llm:{model.name}"

    async def _ask(self, messages: list[ChatMessage], schema_model: type[BaseModel]) -> BaseModel:
        """Ask, retrying once on bad output. Raises JudgeOutputError or ModelError."""
        schema = json_schema_of(schema_model)
        try:
            return parse_verdict(
                await self.model.complete(messages, json_schema=schema), schema_model
            )
        except JudgeOutputError as first:
            # The schema goes with the retry: a server without a JSON mode never sent it on.
            note = ChatMessage(
                role="user",
                content=f"Your previous reply was rejected: {first}. Reply again with only one "
                "JSON object that follows this JSON schema exactly: "
                + json.dumps(schema, separators=(",", ":")),
            )
            raw = await self.model.complete([*messages, note], json_schema=schema)
            try:
                return parse_verdict(raw, schema_model)
            except JudgeOutputError as second:
                raise JudgeOutputError(f"invalid output twice; last: {second}") from second

    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Labels and criterion scores for a trainee turn (fallback labels if the model fails)."""
        red_line_ids = tuple(r.id for r in ctx.scenario.red_lines)
        schema_model = trainee_verdict_model(rubric, red_line_ids)
        fence = prompts.Fence.new()
        messages = [
            ChatMessage(role="system", content=prompts.trainee_system_prompt(rubric, fence)),
            ChatMessage(
                role="user",
                content=prompts.trainee_user_prompt(
                    ctx.scenario, ctx.history, ctx.turn, ctx.turn_index, fence, self.history_tokens
                ),
            ),
        ]
        try:
            verdict = await self._ask(messages, schema_model)
        except (JudgeOutputError, ModelError) as err:
            return await self._fallback_assessment(ctx, rubric, _reason(err))
        return self._assessment(ctx, rubric, verdict.model_dump(by_alias=True))

    def _assessment(self, ctx: TurnContext, rubric: Rubric, data: dict[str, Any]) -> TurnAssessment:
        scores = []
        for c in turn_criteria(rubric):
            item = data["criteria"][c.id]
            evidence, reason = item["evidence"].strip(), item["reasoning"].strip()
            if evidence and not is_quote_of(evidence, ctx.turn.text):
                evidence, reason = "", f"{reason} [{EVIDENCE_DROPPED}]".strip()
            scores.append(
                CriterionScore(
                    criterion=c.id, score=item["score"], reason=reason, evidence=evidence
                )
            )
        labels = TurnLabels(
            tone=data["tone"],
            escalation=data["escalation"],
            red_line_breaches=sorted(set(data["red_line_breaches"])),
            judge=self.name,
            criteria=scores,
        )
        named = list(dict.fromkeys(data["tactics_named"]))
        return TurnAssessment(
            turn_index=ctx.turn_index,
            labels=labels,
            signals=_signals(labels, named),
            tactics_named=named,
        )

    async def _fallback_assessment(
        self, ctx: TurnContext, rubric: Rubric, reason: str
    ) -> TurnAssessment:
        stand_in = await self.fallback.assess_trainee_turn(ctx, rubric)
        labels = stand_in.labels.model_copy(
            update={
                "judge": f"{self.fallback.name} (fallback: {reason})",
                "unscored_reason": f"{self.name} could not score this turn: {reason}",
            }
        )
        return stand_in.model_copy(update={"labels": labels})

    async def score_session(
        self, scenario: ScenarioSummary, turns: list[Turn], rubric: Rubric
    ) -> list[CriterionResult]:
        """The rubric's session criteria scored in one call over the whole conversation (the
        fallback's session scores, marked, if the model fails)."""
        criteria = session_criteria(rubric)
        if not criteria:
            return []
        if not any(t.speaker == "trainee" for t in turns):
            return await self.fallback.score_session(scenario, turns, rubric)
        fence = prompts.Fence.new()
        messages = [
            ChatMessage(role="system", content=prompts.session_system_prompt(rubric, fence)),
            ChatMessage(
                role="user",
                content=prompts.session_user_prompt(scenario, turns, fence, self.history_tokens),
            ),
        ]
        try:
            verdict = await self._ask(messages, session_verdict_model(rubric))
        except (JudgeOutputError, ModelError) as err:
            reason = _reason(err)
            failed = f"{self.name} could not score the session: {reason}"
            stand_in = await self.fallback.score_session(scenario, turns, rubric)
            return [
                r.model_copy(
                    update={
                        # marked even when unscored, so a failed call is never cached
                        "judge": f"{r.judge or 'unscored'} (fallback: {reason})",
                        "reason": f"{failed}; {r.reason}" if r.reason else failed,
                    }
                )
                for r in stand_in
            ]
        data = verdict.model_dump(by_alias=True)["criteria"]
        said = [t.text for t in turns if t.speaker == "trainee"]
        results = []
        for c in criteria:
            item = data[c.id]
            evidence, reason = item["evidence"].strip(), item["reasoning"].strip()
            if evidence and not any(is_quote_of(evidence, text) for text in said):
                evidence, reason = "", f"{reason} [{SESSION_EVIDENCE_DROPPED}]".strip()
            results.append(
                CriterionResult(
                    criterion=c.id,
                    name=c.name,
                    weight=c.weight,
                    score=float(item["score"]),
                    quotes=[evidence] if evidence else [],
                    judge=self.name,
                    reason=reason,
                )
            )
        return results

    async def tag_with_source(self, ctx: TurnContext) -> tuple[list[str], str]:
        """Tactic ids for a counterpart turn, and the judge label that produced them."""
        fence = prompts.Fence.new()
        messages = [
            ChatMessage(role="system", content=prompts.tactic_system_prompt(fence)),
            ChatMessage(
                role="user",
                content=prompts.tactic_user_prompt(
                    ctx.scenario, ctx.history, ctx.turn, ctx.turn_index, fence, self.history_tokens
                ),
            ),
        ]
        try:
            verdict = await self._ask(messages, TacticVerdict)
        except (JudgeOutputError, ModelError) as err:
            tags = await self.fallback.tag_counterpart_turn(ctx)
            return tags, f"{self.fallback.name} (fallback: {_reason(err)})"
        assert isinstance(verdict, TacticVerdict)
        return list(dict.fromkeys(verdict.tactics)), self.name

    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        """Tactic ids applied in a counterpart turn."""
        tags, _ = await self.tag_with_source(ctx)
        return tags


def _reason(err: Exception) -> str:
    if isinstance(err, ModelError):
        return f"model error: {type(err).__name__}: {err}"
    return str(err)
