"""The offline judge: deterministic labels, criterion scores and signals with no network.

Labels are the hand-written rules combined with the learned heads (`ensemble.SHIPPED`,
chosen leave-one-scenario-out by `evals/compare_offline.py`). If the learned heads cannot
be loaded the judge logs a warning and runs on the rules alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.domain.assessment import TurnAssessment
from coach.domain.rubric import Rubric
from coach.domain.transcript import ScenarioSummary, Turn, TurnLabels
from coach.evaluation.base import Judge, TurnContext
from coach.evaluation.offline.criteria import TurnFacts, score_criteria
from coach.evaluation.offline.ensemble import (
    RULES_ONLY,
    SHIPPED,
    EnsembleConfig,
    combine_tactics,
    combine_trainee,
    load_models,
    offers_something,
)
from coach.evaluation.offline.escalation import is_hostile, score_escalation
from coach.evaluation.offline.injection import strip_injections
from coach.evaluation.offline.offers import is_bare_acceptance, offering_sentence
from coach.evaluation.offline.red_lines import (
    RedLineProfile,
    answers_other_item,
    compile_red_lines,
    demand_drops_line,
    demand_within_limit,
    find_breaches,
    held_lines,
    numeric_breaches,
    numeric_verdict,
)
from coach.evaluation.offline.signals import (
    derive_signals,
    gives_ground,
    stalls_or_holds,
    tactics_named,
)
from coach.evaluation.offline.tactics import tag_tactics, threatens_publicity
from coach.evaluation.offline.text import is_courtesy, sentences
from coach.evaluation.offline.tone import score_tone

if TYPE_CHECKING:
    from coach.evaluation.offline.learned import LearnedModels


def _evidence(text: str) -> str:
    """A quotable sentence for a breach only the learned head found: the first sentence that
    offers or accepts, else the shortest sentence with substance (bare acceptances are
    short; a greeting or a thank-you is never the quote), or the whole turn."""
    offer = offering_sentence(text)
    if offer and offer in text:
        return offer
    parts = [p for p in sentences(text) if p.strip() and p in text]
    substantive = [p for p in parts if not is_courtesy(p)] or parts
    return min(substantive, key=len) if substantive else text


def _plain(history: list[Turn]) -> list[Turn]:
    """The conversation as speakers and words only: gold labels and tactics never leak in."""
    return [Turn(speaker=t.speaker, text=t.text) for t in history]


class OfflineJudge(Judge):
    """Rules + learned heads; runs anywhere, fast and reproducibly, with no network.

    It reads the conversation (the counterpart's last demand matters for what "Fine, we
    accept" gives up) but never the labels or tactics stored in the history.
    `OfflineJudge(learned=False)` runs the hand-written rules alone.
    """

    name = "offline"

    def __init__(self, learned: bool = True, config: EnsembleConfig | None = None) -> None:
        self._profiles: dict[str, list[RedLineProfile]] = {}
        self._learned = learned
        self.config = config or (SHIPPED if learned else RULES_ONLY)

    def _models(self) -> LearnedModels | None:
        return load_models() if self._learned and self.config != RULES_ONLY else None

    def _red_lines(self, scenario: ScenarioSummary) -> list[RedLineProfile]:
        key = scenario.model_dump_json()
        if key not in self._profiles:
            self._profiles[key] = compile_red_lines(scenario)
        return self._profiles[key]

    def assess(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Labels, criterion scores and signals for a trainee turn."""
        history = _plain(ctx.history)
        text = strip_injections(ctx.turn.text) or ctx.turn.text
        rule_breaches = find_breaches(ctx.scenario, text, history, self._red_lines(ctx.scenario))
        rules_conceded = bool(rule_breaches)
        tone = score_tone(text, rules_conceded)
        escalation = score_escalation(text, rules_conceded)
        previous = next((t for t in reversed(history) if t.speaker == "counterpart"), None)
        prev_text = (strip_injections(previous.text) or previous.text) if previous else None
        evidence = {b.red_line: b.evidence for b in rule_breaches}
        breach_ids = list(evidence)
        models = self._models()
        if models is not None:
            offers = offers_something(text, prev_text)
            concession = models.concession_prob(text, prev_text)
            breach_probs: dict[str, float] = {}
            carried: set[str] = set()
            accepted: list[str] = []
            held: list[str] = []
            numeric: list[str] = []
            # the red-line head (MiniLM) is the slow part: skip it when unused
            if self.config.rl != "rules":
                red_lines = [(r.id, r.statement) for r in ctx.scenario.red_lines]
                said = [(t.speaker, strip_injections(t.text) or t.text) for t in history]
                breach_probs = models.breach_probs(
                    text, red_lines, prev_text, said, concession=concession
                )
                if self.config.rl_drop_held:
                    held = held_lines(self._red_lines(ctx.scenario), text)
                if self.config.rl_trust_numeric:
                    numeric = numeric_breaches(
                        self._red_lines(ctx.scenario), rule_breaches, prev_text or ""
                    )
                if self.config.rl_bare_all and prev_text and is_bare_acceptance(text):
                    accepted = models.pressed(red_lines, prev_text)
                if self.config.rl_carry:
                    carried = models.carried(
                        red_lines, said, text, prev_text, self.config.rl_carry_min
                    )
            tone, escalation, breach_ids = combine_trainee(
                (tone, escalation, breach_ids),
                models.tone(text, prev_text),
                models.escalation_probs(text, prev_text),
                breach_probs,
                models.breach_threshold,
                self.config,
                offers,
                concession,
                short=len(text.split()) <= 20,
                hostile=is_hostile(text),
                carried=carried,
                holding=not offers and stalls_or_holds(text),
                accepted=accepted,
                held=held,
                numeric=numeric,
            )
            # The rules' reading of amounts and of the demand stands over the head's guesses
            # (the rules' own breaches, with their evidence, are kept).
            profiles = {p.id: p for p in self._red_lines(ctx.scenario)}
            breach_ids = [
                rid
                for rid in breach_ids
                if rid in evidence
                or rid not in profiles
                or not self._rules_keep(profiles[rid], text, prev_text or "")
            ]
        conceded = bool(breach_ids)
        named = tactics_named(text)
        # Giving ground on a matter that is not a red line is still a concession for the
        # strategist (it presses for the next slice), though it is not a breach.
        gave_ground = conceded or gives_ground(text, prev_text)
        pending = (
            self._tag_text(previous.text, history[: history.index(previous)]) if previous else []
        )
        facts = TurnFacts(
            text=text,
            tone=tone,
            escalation=escalation,
            breaches=[(rid, evidence.get(rid) or _evidence(text)) for rid in breach_ids],
            tactics_named=named,
            pending_tactics=pending,
        )
        labels = TurnLabels(
            tone=tone,
            escalation=escalation,  # type: ignore[arg-type]
            red_line_breaches=breach_ids,
            judge=self.name,
            criteria=score_criteria(rubric.criteria, facts),
        )
        return TurnAssessment(
            turn_index=ctx.turn_index,
            labels=labels,
            signals=derive_signals(text, tone, escalation, gave_ground, named),
            tactics_named=named,
        )

    def _rules_keep(self, profile: RedLineProfile, text: str, demand: str) -> bool:
        """Whether the rules say the turn keeps the line: an amount inside its limit, a
        short yes to a demand whose amounts stay inside it, or to a package that lets the
        line go."""
        if numeric_verdict(profile, text, demand) is False:
            return True
        if not demand:
            return False
        return (
            (self.config.rl_demand_amounts and demand_within_limit(profile, text, demand))
            or (self.config.rl_demand_drops and demand_drops_line(profile, text, demand))
            or (self.config.rl_other_item and answers_other_item(profile, text, demand))
        )

    def _tag_text(self, text: str, history: list[Turn]) -> list[str]:
        rules = tag_tactics(text, history)
        models = self._models()
        if models is None:
            return rules
        probs = models.tactic_probs(text, [(t.speaker, t.text) for t in history])
        return combine_tactics(
            rules, probs, models.tactic_thresholds, self.config, threatens_publicity(text)
        )

    def tag(self, ctx: TurnContext) -> list[str]:
        """Tactic ids applied in a counterpart turn."""
        return self._tag_text(ctx.turn.text, _plain(ctx.history))

    async def assess_trainee_turn(self, ctx: TurnContext, rubric: Rubric) -> TurnAssessment:
        """Async form of `assess`."""
        return self.assess(ctx, rubric)

    async def tag_counterpart_turn(self, ctx: TurnContext) -> list[str]:
        """Async form of `tag`."""
        return self.tag(ctx)
