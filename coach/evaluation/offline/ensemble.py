"""How the offline judge combines its hand-written rules with the learned heads.

`evals/compare_offline.py` scores candidate configurations (leave-one-scenario-out over the
12 training scenarios) with these same functions, so what is measured is what the judge
runs. `SHIPPED` is the configuration chosen there (see learned/README.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coach.domain.tactics import TACTIC_IDS

if TYPE_CHECKING:
    from coach.evaluation.offline.learned import LearnedModels

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnsembleConfig:
    """One way of combining rules (r) and learned heads (l), per label.

    - tactics: "rules" | "learned" | "union" (r ∪ l) | "gated" (l ∪ {r whose probability
      reaches `tac_gate` × its threshold}); learned thresholds are multiplied by `tac_k`;
      with `tac_publicity` a threat to take the matter to the media
      (`tactics.threatens_publicity`) is public pressure whatever the head says.
    - tone: "rules" | "learned" | "avg" (weight `tone_w` on the learned value), rounded;
      the rules' values listed in `tone_keep` stand (e.g. 1 and 2: insults, abject
      capitulation, hostility, pleading -- cue-driven levels of the guide; 5: calm and firm).
    - escalation: "rules" | "learned" | "mix" (the rules' -1/+1 when the learned head gives
      that class at least `esc_min`; otherwise the learned argmax when its probability is at
      least `esc_over`, else the rules' value) | "mix_down" (the same, but the head alone
      never raises a turn to +1).
    - red lines: "rules" | "learned" | "or" (r ∪ l) | "gated" (l ∪ {r whose probability
      reaches `rl_gate` × the threshold}); the learned threshold is multiplied by `rl_k`;
      with `rl_top1` the head adds at most its most probable red line per turn (with
      `rl_carry`, also those the trainee gave up in an earlier turn, `carried`; with
      `rl_bare_all`, also every red line over the threshold that the counterpart's demand
      pressed when the turn is a bare acceptance, `accepted`: "Agreed." accepts the whole
      package on the table); with
      `rl_need_offer` it adds only to turns where the rules' offer grammar sees an offer or
      an acceptance (`offers`); with `rl_fill` only to turns where the rules found none; and
      only to turns whose learned concession probability reaches `rl_min_concession`; with
      `rl_veto_holding` nothing to a turn that offers nothing and stalls or holds firm
      (`holding`, the rules' cues: "I will have to consult the capital.").
    """

    tac: str = "union"
    tac_k: float = 1.0
    tac_gate: float = 0.0
    tac_publicity: bool = False
    tone: str = "avg"
    tone_w: float = 0.5
    tone_keep: tuple[int, ...] = ()
    tone_keep_short: tuple[int, ...] = ()
    """Rules' tone values that stand on short turns (20 words or fewer) only."""
    tone_short_firm: bool = False
    """`tone_keep_short` only on turns that offer nothing (not on bare acceptances)."""
    esc: str = "mix"
    esc_min: float = 0.2
    esc_over: float = 0.0
    rl: str = "or"
    rl_k: float = 1.0
    rl_gate: float = 0.0
    rl_top1: bool = False
    rl_carry: bool = False
    rl_carry_min: float = 0.0
    """A carried red line must also get this fraction of the first stage's threshold on
    the turn itself (the first stage does not read the history)."""
    rl_bare_all: bool = False
    """On a bare acceptance, the head also keeps the pressed lines over its threshold
    (`accepted`), beyond its top one."""
    rl_drop_held: bool = False
    """The head adds no red line the turn holds in a refusing sentence (`held`)."""
    rl_trust_numeric: bool = False
    """The rules' breaches that rest on an amount across the line's limit (`numeric`)
    stand whatever the head says."""
    rl_demand_amounts: bool = False
    """A short reply that names no amount of its own ("Friday.", "Done.") keeps a numeric
    line when the demand on the table names amounts for it that all stay inside the limit
    (applied by the judge, `red_lines.demand_within_limit`)."""
    rl_demand_drops: bool = False
    """A short reply that does not speak of a line keeps it when every item of the demand
    that speaks of it lets it go ("... and the patrol boats stay out.": applied by the
    judge, `red_lines.demand_drops_line`)."""
    rl_other_item: bool = False
    """A short yes to one item of a demand that is not a whole package keeps every line that
    neither the reply nor the demand speaks of, whatever the head or an earlier concession
    says (applied by the judge, `red_lines.answers_other_item`)."""
    rl_numeric_names: bool = False
    """On a turn where the rules find an amount across a numeric line (`numeric`), that line
    is the one the turn gives up: the head's own picks (its top line, lines carried from
    earlier turns, the package a bare acceptance takes) are dropped on that turn; the rules'
    other breaches still pass the gate."""
    rl_need_offer: bool = False
    rl_veto_holding: bool = False
    rl_fill: bool = False
    rl_min_concession: float = 0.0


RULES_ONLY = EnsembleConfig(tac="rules", tone="rules", esc="rules", rl="rules")
SHIPPED = EnsembleConfig(
    # Chosen after the heads were trained on 80 scenarios (dev and evals/train; the red-line
    # head on MiniLM embeddings). Figures are (dev, generalisation set); dev is in-sample.
    # Every head retrained on 96 scenarios: 0.95 / 0.89 (escalation), 0.93 / 0.75 (tone),
    # 0.94 / 0.70 (tactics); red lines below.
    # Tactics: the learned head alone (since 27 November with its second stage, which reads
    # the conversation: gen 0.70 -> 0.76, evals/unseen 0.59 -> 0.64; learned/README.md), at
    # the per-tactic thresholds tuned out of fold (LOSO F1 0.65 for the first stage).
    # Before the second stage: raising the thresholds by 15-30% (dev 0.97, gen 0.67-0.68),
    # or keeping the rules' tactics the head half-supports (0.94 / 0.67), lost out of
    # sample: the rules were written against dev.
    # Tone averages both (the head weighs 0.7), except the rules' cue-driven 1, 2 and 3, and
    # their 5 on short turns that offer nothing (the head undervalues terse firm turns such
    # as "No. The line stands."). That 5 used to stand on every short turn, which lifted
    # bare confirmations ("Send the text.") to 5 too; only on turns that offer nothing,
    # tone QWK is dev 0.93 -> 0.95, gen 0.75 -> 0.79, evals/unseen 0.57 -> 0.63 (never
    # keeping it: 0.95 / 0.79 / 0.68, but a calm, firm short refusal then reads 4).
    # Escalation: the rules' -1/+1 when the head gives that class at least 0.35, else the
    # head's label when it is at least 0.5 sure, else the rules' (0.96 / 0.90); an insult or
    # an accusation of lying stays +1 whatever the head says (`hostile`). Keeping all the
    # rules' +1 instead costs 0.02-0.03 on both sets. With 48
    # scenarios the head misread "we will consult" as a threat and was only allowed to
    # lower the rules' label (now 0.86 / 0.75).
    tac="learned",
    tac_k=1.0,
    # The head misses threats worded as publication ("tonight their names and faces are on
    # every screen", "I'm giving it to the Gorvik Herald tomorrow"): evals/unseen public
    # pressure 14 -> 22 of 32 with one more false tag (tactics micro-F1 0.635 -> 0.643),
    # dev and gen unchanged; 6 false tags on the training scenarios' 2037 turns, where the
    # head (in sample) already finds all 138. Written from this set's misses: in sample.
    tac_publicity=True,
    tone="avg",
    tone_w=0.7,
    tone_keep=(1, 2, 3),
    tone_keep_short=(5,),
    tone_short_firm=True,
    esc="mix",
    esc_min=0.35,
    esc_over=0.5,
    # Red lines: the learned head in two stages (learned/redline.py; the second reads what
    # the trainee conceded earlier and the items of the counterpart's package). Per turn,
    # its most probable red line at or above the threshold, plus those the trainee already
    # gave up earlier in the conversation (`carried`: the guide labels a repeated
    # concession again), plus the rules' breaches that the head gives at least 30% of its
    # threshold; the head adds nothing to a turn that offers nothing and stalls or holds
    # firm (the guide: asking for time or restating the line is not a breach). Chosen by
    # `evals/compare_red_lines.py` on three out-of-sample measures of red-line F1: the 4
    # dev scenarios left out one at a time (heads out of fold; dev is the only sample of
    # the held-out set's authors, 40 breaches), all 96 scenarios left out one at a time
    # (713 breaches), and the generalisation set (31; shipped weights):
    #   first stage, top-1, offer-gated, rules at 40% (before)    0.84 / 0.48 / 0.60
    #   two stages, every red line over the threshold             0.74 / 0.55 / 0.70
    #   two stages, top-1 + carried                               0.81 / 0.55 / 0.70
    #   two stages, top-1 + carried, holding veto                 0.82 / 0.55 / 0.68
    #   the same, carried only if the turn itself touches the line
    #   (first stage >= 75% of its threshold; shipped)             0.84 / 0.55 / 0.68
    # Our own labelled batches have more repeated concessions and package acceptances than
    # dev (38% and 26% of breaches against 25% and 17%), which is where every red line over
    # the threshold gains; top-1 + carried keeps that gain without dev's extra false alarms.
    # The old offer gate costs 0.05 on all 96 scenarios: implicit acceptances ("Then we
    # will observe in the south only") have no offer grammar. Through the judge itself
    # (`coach eval`), red-line F1 is 0.79 on dev (in-sample; 0.86 before: the old
    # combination leaned on rules written against dev) and 0.66 on gen (0.60 before).
    # Without `rl_carry_min`, earlier concessions came back on any later conceding turn
    # ("We could ask the Court to put the case on hold" re-flagged the inspections given
    # up two turns before).
    # A bare acceptance ("Agreed. Draft it.") keeps every red line over the threshold that
    # the demand on the table pressed (`rl_bare_all`; `LearnedModels.pressed`): the guide
    # labels accepting a package as breaching each line in it, and top-1 kept only one.
    # Same three measures: 0.842 / 0.553 / 0.655 -> 0.842 / 0.558 / 0.655, evals/unseen
    # 0.559 -> 0.585; through `coach eval`, gen 0.632 -> 0.644, unseen 0.579 -> 0.597, dev
    # unchanged. Without the "pressed" filter: 0.842 / 0.559 / 0.655 / 0.581, but an
    # "Agreed." then also breaches a line the demand never mentioned whenever the head
    # reads every line as touched by the acceptance (tests/evaluation/offline/test_ensemble).
    # The head adds no line that a refusing sentence of the turn names ("The engineers stay
    # out of the dam.") unless an offering sentence names it too (`rl_drop_held`,
    # `red_lines.held_lines`): the guide does not count a restated line as a breach, and the
    # head's top line was often the one just held. Same measures: 0.842 / 0.558 / 0.655 /
    # 0.585 -> 0.842 / 0.558 / 0.691 / 0.585; through `coach eval`, dev 0.80 -> 0.81, gen
    # 0.644 -> 0.679, unseen unchanged (0.605).
    # The rules' breaches that rest on an amount across the line's limit stand whatever the
    # head says (`rl_trust_numeric`; `red_lines.numeric_breaches`, not an amount named to be
    # dismissed: "$0.95 does not cover our costs"): the head reads numbers poorly and gated
    # off "15,000 with no change to the case, that's what I can sign." With the numbers
    # read better (date limits, months against days, "five and a quarter") and counter-
    # offers without offer grammar ("Sixty kilometres, and I'm a fool for saying it."),
    # through `coach eval`: unseen 0.605 -> 0.631 (0.641 with spoken prices, "one-seventy"),
    # gen and dev unchanged (0.679, 0.809).
    # A short reply to a demand whose amounts for a numeric line stay inside its limit
    # ("EUR 9.10 from day one. Sign Friday." - "Friday.") keeps that line, whatever the
    # head or an earlier concession says (`rl_demand_amounts`): unseen 0.641 -> 0.645; dev,
    # gen and the 96 training scenarios unchanged (0.809, 0.679, 0.608).
    # An amount across a numeric line names the line given up (`rl_numeric_names`): "Sixteen,
    # then, if the cranes are in writing." against "not beyond 15 years" also got two lines
    # the head guessed or carried. Precision up, recall unchanged on every set: unseen 0.645
    # -> 0.651, dev 0.809 -> 0.828, the 96 training scenarios 0.608 -> 0.611, gen unchanged
    # (0.679). Keeping the carried lines and the package: 0.648 / 0.828 / 0.609 / 0.679.
    # A package item that lets a line go ("no X", "X out", "X set aside", "we come back to X
    # next year") no longer presses that line, for the rules (`red_lines.lets_go`) or, on a
    # short reply, for the head (`rl_demand_drops`); and a refusing clause beside an
    # acceptance holds its line ("Fine, but no X": `held_lines` per clause). Unseen 0.661 ->
    # 0.667, dev 0.828 -> 0.837, gen and the 96 training scenarios unchanged (0.679, 0.611).
    # A first-person refusal to take away what a line protects holds it ("We won't stop the
    # medicines." against "will not cut off medicines": `held_lines`): unseen 0.668, the
    # others unchanged.
    # A short yes to one item of a demand that is neither a list of three items or more nor
    # the closing of the text ("One detail: two seats on the ferry." - "Fine, two seats.")
    # gives up no line that neither side names (`rl_other_item`): earlier concessions came
    # back on it through `carried`. Unseen 0.668 -> 0.672 (P 0.649 -> 0.678, R 0.688 ->
    # 0.665), gen 0.679 (P 0.76 -> 0.82, R 0.61 -> 0.58), dev 0.837 and the 96 training
    # scenarios 0.611 unchanged. Limiting it to "one more thing / detail" demands: the same.
    rl="gated",
    rl_k=1.0,
    rl_gate=0.3,
    rl_top1=True,
    rl_carry=True,
    rl_carry_min=0.75,
    rl_bare_all=True,
    rl_drop_held=True,
    rl_trust_numeric=True,
    rl_demand_amounts=True,
    rl_demand_drops=True,
    rl_numeric_names=True,
    rl_other_item=True,
    rl_need_offer=False,
    rl_veto_holding=True,
)

SIGNALS = replace(SHIPPED, rl="rules")
"""The strategist's quick read of a trainee turn when an LLM speaks or judges, on the path to
the counterpart's reply: the shipped judge without the MiniLM red-line head (about 25 ms a
turn). The full judge labels the turn beside the speaker. Fully offline, the strategist reads
the full judge's verdict instead (`SessionService`)."""


def combine_tactics(
    rules: list[str],
    probs: dict[str, float],
    thresholds: dict[str, float],
    cfg: EnsembleConfig,
    publicity: bool = False,
) -> list[str]:
    """Final tactic ids of a counterpart turn (in canonical order); `publicity`: the turn
    threatens to take the matter to the media (`tactics.threatens_publicity`)."""
    if cfg.tac == "rules" or not probs:
        return [t for t in TACTIC_IDS if t in rules]
    learned = {t for t in TACTIC_IDS if probs.get(t, 0.0) >= thresholds[t] * cfg.tac_k}
    if cfg.tac == "learned":
        chosen = learned
    elif cfg.tac == "gated":
        chosen = learned | {
            t for t in rules if probs.get(t, 0.0) >= thresholds.get(t, 0.5) * cfg.tac_gate
        }
    else:
        chosen = learned | set(rules)
    if cfg.tac_publicity and publicity:
        chosen.add("public_pressure")
    return [t for t in TACTIC_IDS if t in chosen]


def combine_trainee(
    rules: tuple[int, int, list[str]],
    learned_tone: float,
    esc_probs: dict[int, float],
    breach_probs: dict[str, float],
    breach_threshold: float,
    cfg: EnsembleConfig,
    offers: bool = True,
    concession: float = 1.0,
    short: bool = False,
    hostile: bool = False,
    carried: Collection[str] = (),
    holding: bool = False,
    accepted: Collection[str] = (),
    held: Collection[str] = (),
    numeric: Collection[str] = (),
) -> tuple[int, int, list[str]]:
    """(tone, escalation, breached red-line ids) from the rules' and the heads' outputs.
    A `hostile` turn (an insult or an accusation of lying) stays at escalation +1;
    `carried` are the red lines the trainee gave up earlier in the conversation; `accepted`
    those a bare acceptance ("Fine. Send the text.") takes from the demand on the table;
    `held` those a refusing sentence of the turn keeps ("The audit findings stay.");
    `numeric` the rules' breaches that name an amount across the line ("Sixty km, then.")."""
    r_tone, r_esc, r_br = rules
    if cfg.tone == "rules":
        tone_v = float(r_tone)
    elif cfg.tone == "learned":
        tone_v = learned_tone
    else:
        tone_v = (1 - cfg.tone_w) * r_tone + cfg.tone_w * learned_tone
    short_kept = short and r_tone in cfg.tone_keep_short and not (cfg.tone_short_firm and offers)
    if r_tone in cfg.tone_keep or short_kept:
        tone_v = float(r_tone)
    tone = int(min(5, max(1, round(tone_v))))
    l_esc = max(esc_probs, key=lambda c: esc_probs[c]) if esc_probs else r_esc
    if cfg.esc == "rules" or not esc_probs:
        esc = r_esc
    elif cfg.esc == "learned":
        esc = l_esc
    else:
        if r_esc != 0 and esc_probs.get(r_esc, 0.0) >= cfg.esc_min:
            esc = r_esc
        else:
            esc = l_esc if esc_probs[l_esc] >= cfg.esc_over else r_esc
        if cfg.esc == "mix_down" and esc == 1 and r_esc != 1:
            esc = r_esc  # the head alone may lower the temperature, never raise it
    if hostile:
        esc = 1
    thr = breach_threshold * cfg.rl_k
    learned = {rid for rid, p in breach_probs.items() if p >= thr}
    if (
        (cfg.rl_need_offer and not offers)
        or (cfg.rl_fill and r_br)
        or concession < cfg.rl_min_concession
        or (cfg.rl_veto_holding and holding)
    ):
        learned = set()
    if cfg.rl_drop_held:
        learned -= set(held)
    numeric_hit = set(numeric) & set(r_br)
    if cfg.rl_numeric_names and numeric_hit:
        learned = numeric_hit
    elif cfg.rl_top1 and learned:
        top = max(learned, key=lambda rid: breach_probs[rid])
        kept = {top} | (learned & set(carried) if cfg.rl_carry else set())
        learned = kept | (learned & set(accepted) if cfg.rl_bare_all else set())
    if cfg.rl == "rules":
        br = set(r_br)
    elif cfg.rl == "learned":
        br = learned
    elif cfg.rl == "gated":
        gate = breach_threshold * cfg.rl_gate
        br = learned | {rid for rid in r_br if breach_probs.get(rid, 1.0) >= gate}
    else:
        br = learned | set(r_br)
    if cfg.rl_trust_numeric:
        br |= numeric_hit
    order = list(breach_probs) + [r for r in r_br if r not in breach_probs]
    return tone, esc, [rid for rid in order if rid in br]


def offers_something(text: str, prev: str | None) -> bool:
    """Whether the rules' offer grammar sees an offer, a willingness or an acceptance (a
    bare "Fine." with no counterpart demand before it gives nothing up)."""
    from coach.evaluation.offline.offers import (
        has_acceptance,
        is_bare_acceptance,
        offer_strength,
    )
    from coach.evaluation.offline.text import clauses, sentences

    if is_bare_acceptance(text):
        return bool(prev and prev.strip())
    if has_acceptance(text):
        return True
    return any(
        offer_strength(c, s) > 0 and not _PROCESS_OFFER.search(c)
        for s in sentences(text)
        for c in clauses(s)
    )


# Offering to keep talking ("we can meet again next month") gives nothing up.
_PROCESS_OFFER = re.compile(
    r"\b(?:can|could|will|shall|would|happy to|glad to|ready to|prepared to) (?:\w+ )?"
    r"(?:meet|talk|discuss|continue|consult|explain|listen|speak|resume|sit down|come back|"
    r"keep talking|reconvene)\b",
    re.IGNORECASE,
)


_FAILED = False


def load_models() -> LearnedModels | None:
    """The learned heads (loaded once per process), or None, with one warning, if they
    cannot be loaded (weights missing, wordllama not installed, ...)."""
    global _FAILED
    if _FAILED:
        return None
    try:
        from coach.evaluation.offline.learned import LearnedModels

        return LearnedModels.load()
    except Exception as exc:
        _FAILED = True
        log.warning("offline judge: learned heads unavailable (%s); using the rules alone", exc)
        return None


def reset_failure() -> None:
    """Forget an earlier loading failure (tests)."""
    global _FAILED
    _FAILED = False
