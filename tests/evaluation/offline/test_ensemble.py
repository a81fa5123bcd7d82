"""The judge runs rules + learned heads (ensemble.SHIPPED) and falls back to the rules."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from offline_river import DEMAND, RUBRIC, context

from coach.domain.transcript import RedLineRef, ScenarioSummary, Turn
from coach.evaluation.base import TurnContext
from coach.evaluation.offline import OfflineJudge, ensemble
from coach.evaluation.offline.ensemble import (
    RULES_ONLY,
    EnsembleConfig,
    combine_tactics,
    combine_trainee,
)


def test_judge_uses_the_shipped_ensemble() -> None:
    judge = OfflineJudge()
    assert judge.config == ensemble.SHIPPED
    assert judge._models() is not None
    assert OfflineJudge(learned=False).config == RULES_ONLY
    assert OfflineJudge(learned=False)._models() is None


def test_missing_weights_fall_back_to_the_rules(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from coach.evaluation.offline import learned

    def broken(cls: object, path: object = None) -> None:
        raise FileNotFoundError("weights.npz")

    monkeypatch.setattr(learned.LearnedModels, "load", classmethod(broken))
    ensemble.reset_failure()
    try:
        with caplog.at_level(logging.WARNING, logger="coach.evaluation.offline.ensemble"):
            judge = OfflineJudge()
            got = judge.assess(context("Fine. We accept that."), RUBRIC).labels
            rules = OfflineJudge(learned=False).assess(context("Fine. We accept that."), RUBRIC)
            tags = judge.tag(context(DEMAND, previous=None, speaker="counterpart"))
        assert (got.tone, got.escalation, got.red_line_breaches) == (
            rules.labels.tone,
            rules.labels.escalation,
            rules.labels.red_line_breaches,
        )
        assert isinstance(tags, list)
        assert "rules alone" in caplog.text
        assert caplog.text.count("learned heads unavailable") == 1  # warned once
    finally:
        ensemble.reset_failure()


def test_signals_follow_the_final_labels() -> None:
    judge = OfflineJudge(config=EnsembleConfig(rl="or", rl_k=2.0, rl_top1=True))
    a = judge.assess(context("Fine. We accept that."), RUBRIC)
    assert a.labels.red_line_breaches
    assert "concedes" in {s.value for s in a.signals}


def test_combine_trainee_modes() -> None:
    probs = {"a": 0.9, "b": 0.5, "c": 0.05}
    esc = {-1: 0.1, 0: 0.3, 1: 0.6}
    cfg = EnsembleConfig(rl="or", rl_top1=True, tone="avg", tone_keep=(1, 5), esc_over=0.7)
    tone, e, br = combine_trainee((5, 0, ["c"]), 3.0, esc, probs, 0.3, cfg)
    assert tone == 5  # the rules' extreme stands
    assert e == 0  # learned +1 is not confident enough to override the rules' 0
    assert br == ["a", "c"]  # top-1 learned red line, plus the rules'
    assert combine_trainee((3, 0, []), 4.0, esc, probs, 0.3, RULES_ONLY) == (3, 0, [])


def test_a_short_turn_keeps_the_rules_five_only_when_it_offers_nothing() -> None:
    """A terse refusal stays 5; a bare short acceptance ("Send the text.") takes the average."""
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    cfg = EnsembleConfig(tone="avg", tone_w=0.7, tone_keep_short=(5,), tone_short_firm=True)
    refusal = combine_trainee((5, 0, []), 3.6, esc, {}, 0.3, cfg, offers=False, short=True)
    acceptance = combine_trainee((5, 0, []), 3.6, esc, {}, 0.3, cfg, offers=True, short=True)
    assert (refusal[0], acceptance[0]) == (5, 4)
    longer = combine_trainee((5, 0, []), 3.6, esc, {}, 0.3, cfg, offers=False, short=False)
    assert longer[0] == 4
    assert ensemble.SHIPPED.tone_short_firm and 5 in ensemble.SHIPPED.tone_keep_short


def test_judge_reads_a_bare_short_acceptance_below_a_terse_refusal() -> None:
    judge = OfflineJudge()
    refusal = "No. Our engineers run the dam."
    acceptance = "Fine. Send the text tonight."
    tones = {t: judge.assess(context(t), RUBRIC).labels.tone for t in (refusal, acceptance)}
    assert tones[refusal] == 5
    assert tones[acceptance] < 5


def test_top1_keeps_the_red_lines_given_up_earlier() -> None:
    """A turn that confirms a package repeats the earlier concessions it contains."""
    probs = {"a": 0.9, "b": 0.5, "c": 0.4, "d": 0.05}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    top1 = EnsembleConfig(rl="learned", rl_top1=True)
    carry = EnsembleConfig(rl="learned", rl_top1=True, rl_carry=True)
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, top1, carried={"b"})[2] == ["a"]
    # carried and over the threshold: kept; carried but under it ("d"): not a breach now
    got = combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, carry, carried={"b", "d"})
    assert got[2] == ["a", "b"]
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, carry)[2] == ["a"]


def test_a_bare_acceptance_keeps_every_pressed_line_over_the_threshold() -> None:
    probs = {"a": 0.9, "b": 0.5, "c": 0.4, "d": 0.05}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    on = EnsembleConfig(rl="learned", rl_top1=True, rl_bare_all=True)
    off = replace(on, rl_bare_all=False)
    # "b" and "d" were pressed by the demand; "c" was not; "d" is under the threshold
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, on, accepted={"b", "d"})[2] == [
        "a",
        "b",
    ]
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, off, accepted={"b", "d"})[2] == ["a"]
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, on)[2] == ["a"]


def test_agreeing_to_a_package_breaches_each_red_line_it_presses() -> None:
    """ "Agreed." to a two-item demand gives up both items, and nothing the demand left out."""
    scenario = ScenarioSummary(
        id="harbour",
        title="Port Sella",
        trainee_role="Minister",
        counterpart_role="Envoy",
        context="A dispute over a harbour and a fishing fleet.",
        red_lines=[
            RedLineRef(
                id="no-warships",
                statement="Lorvia will not allow foreign warships to dock at Port Sella.",
            ),
            RedLineRef(
                id="moratorium",
                statement="Lorvia will not extend the fishing moratorium beyond 2027.",
            ),
            RedLineRef(
                id="no-compensation",
                statement="Lorvia will not pay compensation for the seized trawlers.",
            ),
        ],
    )
    demand = (
        "Final offer. Our navy docks two frigates at Sella each spring, and you compensate "
        "the trawler owners for the seizures."
    )
    ctx = context("Fine, done.", previous=demand, scenario=scenario)
    shipped = OfflineJudge().assess(ctx, RUBRIC).labels.red_line_breaches
    assert shipped == ["no-warships", "no-compensation"]
    top1 = OfflineJudge(config=replace(ensemble.SHIPPED, rl_bare_all=False))
    assert top1.assess(ctx, RUBRIC).labels.red_line_breaches == ["no-warships"]


def test_the_head_adds_no_line_the_turn_holds_in_a_refusing_sentence() -> None:
    probs = {"a": 0.9, "b": 0.5}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    on = EnsembleConfig(rl="learned", rl_top1=True, rl_drop_held=True)
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, on, held={"a"})[2] == ["b"]
    off = replace(on, rl_drop_held=False)
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, off, held={"a"})[2] == ["a"]


def test_conceding_one_line_while_holding_another_breaches_the_conceded_one_only() -> None:
    demand = (
        "Our engineers inspect the Marrow dam, and you release 45% of the summer flow. "
        "That is the deal."
    )
    turn = "Forty-five per cent of the flow, fine. The engineers stay out of the Marrow dam."
    ctx = context(turn, previous=demand)
    assert OfflineJudge().assess(ctx, RUBRIC).labels.red_line_breaches == ["flow-cap"]
    # without the rule (nor the amount naming the line), the head's top line is the one the
    # trainee just held
    keep_all = OfflineJudge(
        config=replace(ensemble.SHIPPED, rl_drop_held=False, rl_numeric_names=False)
    )
    assert "no-bravik-engineers" in keep_all.assess(ctx, RUBRIC).labels.red_line_breaches


def test_the_head_adds_nothing_to_a_turn_that_stalls_or_holds() -> None:
    probs = {"a": 0.9, "b": 0.05}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    cfg = EnsembleConfig(rl="gated", rl_gate=0.3, rl_top1=True, rl_veto_holding=True)
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, cfg, holding=True)[2] == []
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, cfg, holding=False)[2] == ["a"]
    # the rules' own breaches are not vetoed (their offer grammar saw something)
    assert combine_trainee((3, 0, ["a"]), 3.0, esc, probs, 0.3, cfg, holding=True)[2] == ["a"]


def test_stall_and_firm_cues() -> None:
    from coach.evaluation.offline.signals import stalls_or_holds

    assert stalls_or_holds("I will have to consult the capital.")
    assert stalls_or_holds("The complaint stays where it is.")
    assert not stalls_or_holds("Very well, your engineers can inspect the turbines.")


def test_combine_tactics_modes() -> None:
    thr = dict.fromkeys(ensemble.TACTIC_IDS, 0.2)
    probs = dict.fromkeys(ensemble.TACTIC_IDS, 0.0) | {"threat": 0.5, "linkage": 0.05}
    union = EnsembleConfig(tac="union")
    assert combine_tactics(["linkage"], probs, thr, union) == ["threat", "linkage"]
    gated = EnsembleConfig(tac="gated", tac_gate=0.5)
    assert combine_tactics(["linkage"], probs, thr, gated) == ["threat"]
    assert combine_tactics(["linkage"], probs, thr, RULES_ONLY) == ["linkage"]
    shipped = ensemble.SHIPPED
    assert combine_tactics([], probs, thr, shipped, publicity=True) == ["threat", "public_pressure"]
    assert combine_tactics([], probs, thr, shipped) == ["threat"]
    assert combine_tactics([], probs, thr, gated, publicity=True) == ["threat"]  # flag off


def test_offering_to_keep_talking_is_not_an_offer_of_substance() -> None:
    from coach.evaluation.offline.ensemble import offers_something

    prev = "Hand over the three berths by Friday."
    assert not offers_something("Our position is unchanged. We can meet again next month.", prev)
    assert not offers_something("We would be glad to discuss it further in Geneva.", prev)
    assert offers_something("We could hand over one berth next month.", prev)
    assert offers_something("Fine.", prev)


def test_the_quick_read_never_runs_the_red_line_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """ensemble.SIGNALS sits on the path to the counterpart's reply: no MiniLM there."""
    from coach.evaluation.offline.learned import LearnedModels

    def boom(*args: object, **kwargs: object) -> dict[str, float]:
        raise AssertionError("the red-line head ran")

    # every use of the red-line stages (probabilities, carried red lines) goes through
    # the MiniLM embedder
    monkeypatch.setattr(LearnedModels, "pair_emb", property(boom))
    quick = OfflineJudge(config=ensemble.SIGNALS).assess(context("Fine. We accept that."), RUBRIC)
    # the rules still see the bare acceptance of the demand that crosses the line
    assert quick.labels.red_line_breaches == ["no-bravik-engineers"]
    with pytest.raises(AssertionError, match="red-line head ran"):
        OfflineJudge().assess(context("Fine. We accept that."), RUBRIC)
    # with a history (carried red lines are looked up) the quick read still skips it
    later = context("Agreed, as before.")
    later.history[:0] = [
        Turn(speaker="counterpart", text="Hand over the sluices."),
        Turn(speaker="trainee", text="We can hand over the sluices."),
    ]
    OfflineJudge(config=ensemble.SIGNALS).assess(later, RUBRIC)


def test_a_rules_breach_that_names_an_amount_across_the_limit_stands_over_the_head() -> None:
    probs = {"a": 0.9, "b": 0.01}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    on = EnsembleConfig(rl="gated", rl_gate=0.3, rl_top1=True, rl_trust_numeric=True)
    got = combine_trainee((3, 0, ["b"]), 3.0, esc, probs, 0.3, on, numeric={"b"})
    assert got[2] == ["a", "b"]
    off = replace(on, rl_trust_numeric=False)
    assert combine_trainee((3, 0, ["b"]), 3.0, esc, probs, 0.3, off, numeric={"b"})[2] == ["a"]
    # only the rules' own breaches are trusted, not any line named as numeric
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, on, numeric={"b"})[2] == ["a"]


def test_the_judge_keeps_a_numeric_counter_offer_inside_a_refusal() -> None:
    demand = "Withdraw your complaint and give us half of the summer flow."
    turn = "No. The complaint stays. Forty per cent of the flow is what I can sign."
    ctx = context(turn, previous=demand)
    assert OfflineJudge().assess(ctx, RUBRIC).labels.red_line_breaches == ["flow-cap"]
    # the head alone reads the refusal and gates the rules' breach off
    untrusting = OfflineJudge(config=replace(ensemble.SHIPPED, rl_trust_numeric=False))
    assert untrusting.assess(ctx, RUBRIC).labels.red_line_breaches == []


def test_a_short_yes_to_a_demand_inside_a_numeric_limit_keeps_the_line() -> None:
    """Agreeing to terms whose amount sits at the limit gives up only the other items."""
    scenario = ScenarioSummary(
        id="quay",
        title="Quay fees",
        trainee_role="Minister",
        counterpart_role="Envoy",
        context="A dispute over port fees and a naval visit.",
        red_lines=[
            RedLineRef(
                id="no-warships",
                statement="Lorvia will not allow foreign warships to dock at Port Sella.",
            ),
            RedLineRef(
                id="fee-floor",
                statement="Lorvia will not accept a harbour fee below 12 euros per tonne.",
            ),
        ],
    )
    at_limit = "Last word: 12 euros a tonne from day one, and our frigates dock each spring."
    below = "Last word: 10 euros a tonne from day one. Sign Friday."
    judge = OfflineJudge()
    blind = OfflineJudge(config=replace(ensemble.SHIPPED, rl_demand_amounts=False))

    def breaches(j: OfflineJudge, turn: str, demand: str) -> list[str]:
        ctx = context(turn, previous=demand, scenario=scenario)
        return j.assess(ctx, RUBRIC).labels.red_line_breaches

    assert breaches(judge, "Friday. Done.", at_limit) == ["no-warships"]
    assert breaches(blind, "Friday. Done.", at_limit) == ["no-warships", "fee-floor"]
    assert breaches(judge, "Friday. Done.", below) == ["fee-floor"]
    # the reply's own amount is read, not the demand's
    fee_only = "Last word: 12 euros a tonne from day one. Sign Friday."
    assert breaches(judge, "Friday. Done.", fee_only) == []
    assert breaches(judge, "Fine, eleven then.", fee_only) == ["fee-floor"]


# Three lines of a fisheries dispute, for the package and one-item tests.
SHOAL = ScenarioSummary(
    id="shoal",
    title="Shoal fisheries",
    trainee_role="Minister",
    counterpart_role="Envoy",
    context="A dispute over fishing grounds, catch records and patrols off the Kell coast.",
    red_lines=[
        RedLineRef(
            id="no-catch-records",
            statement="Lorvia will not hand its fleet's catch records to the Ostran "
            "Fisheries Office.",
        ),
        RedLineRef(
            id="no-patrol-access",
            statement="Lorvia will not allow Ostran patrol boats into Port Kell.",
        ),
        RedLineRef(
            id="no-quota-transfer",
            statement="Lorvia will not transfer any of its herring quota to Ostra.",
        ),
    ],
)


def test_a_short_yes_to_a_package_that_drops_an_item_keeps_that_line() -> None:
    """ "Done." to a package that lets one item go gives up the other items only."""
    scenario = SHOAL
    package = (
        "Then the whole package: a fifth of your herring quota, your catch records to our "
        "Fisheries Office, and the patrol boats stay out of Port Kell. Sign tonight."
    )
    judge = OfflineJudge()
    blind = OfflineJudge(config=replace(ensemble.SHIPPED, rl_demand_drops=False))

    def breaches(j: OfflineJudge, turn: str) -> list[str]:
        return j.assess(
            context(turn, previous=package, scenario=scenario), RUBRIC
        ).labels.red_line_breaches

    assert breaches(judge, "Done.") == ["no-catch-records", "no-quota-transfer"]
    assert breaches(blind, "Done.") == ["no-catch-records", "no-patrol-access", "no-quota-transfer"]


def test_a_short_yes_to_one_other_item_gives_up_no_line_again() -> None:
    """After the records were given up, "Fine, two seats." to a request for ferry seats
    breaches nothing; "send it" to the closing of the text takes the package again."""
    scenario = SHOAL
    earlier = [
        Turn(
            speaker="counterpart",
            text="We want your fleet's catch records at our Fisheries Office by Friday.",
        ),
        Turn(
            speaker="trainee", text="All right. The catch records can go to your Fisheries Office."
        ),
    ]
    seats = "Good. One detail: our delegation would like two extra seats on the evening ferry."
    closing = "Good. Then I will have the text drafted tonight."

    def breaches(j: OfflineJudge, demand: str, reply: str) -> list[str]:
        history = [*earlier, Turn(speaker="counterpart", text=demand)]
        ctx = TurnContext(
            scenario=scenario,
            history=history,
            turn=Turn(speaker="trainee", text=reply),
            turn_index=len(history),
        )
        return j.assess(ctx, RUBRIC).labels.red_line_breaches

    judge = OfflineJudge()
    blind = OfflineJudge(config=replace(ensemble.SHIPPED, rl_other_item=False))
    assert breaches(judge, seats, "Fine, two seats.") == []
    assert breaches(blind, seats, "Fine, two seats.") != []
    assert "no-catch-records" in breaches(judge, closing, "Fine, send it.")
    # the reply or the demand speaking of the line keeps the judge's reading
    records = "Good. One detail: the records come monthly, not yearly."
    assert breaches(judge, records, "Monthly. Fine.") == ["no-catch-records"]


def test_an_amount_across_a_numeric_line_names_the_line_given_up() -> None:
    probs = {"a": 0.9, "b": 0.2, "c": 0.6}
    esc = {-1: 0.0, 0: 1.0, 1: 0.0}
    on = EnsembleConfig(
        rl="gated", rl_gate=0.3, rl_top1=True, rl_carry=True, rl_trust_numeric=True,
        rl_numeric_names=True,
    )  # fmt: skip
    got = combine_trainee((3, 0, ["b"]), 3.0, esc, probs, 0.3, on, carried={"c"}, numeric={"b"})
    assert got[2] == ["b"]
    off = replace(on, rl_numeric_names=False)
    got = combine_trainee((3, 0, ["b"]), 3.0, esc, probs, 0.3, off, carried={"c"}, numeric={"b"})
    assert got[2] == ["a", "b", "c"]
    # with no amount across a line the head's picks stand
    assert combine_trainee((3, 0, []), 3.0, esc, probs, 0.3, on, carried={"c"})[2] == ["a", "c"]


def test_the_judge_gives_a_counter_offer_over_the_limit_to_its_numeric_line() -> None:
    scenario = ScenarioSummary(
        id="pier",
        title="Pier lease",
        trainee_role="Minister",
        counterpart_role="Envoy",
        context="A foreign operator wants a longer pier lease and berths for its navy.",
        red_lines=[
            RedLineRef(
                id="lease-cap",
                statement="Osmark will not extend the north pier lease by more than 10 years.",
            ),
            RedLineRef(
                id="no-navy",
                statement="Osmark will not let foreign navy ships berth at the north pier.",
            ),
            RedLineRef(
                id="tender",
                statement="Osmark will not hand out new berths without a public tender.",
            ),
        ],
    )
    judge = OfflineJudge()
    guessing = OfflineJudge(config=replace(ensemble.SHIPPED, rl_numeric_names=False))
    cases = [
        (
            "Fourteen years, and two berths for our supply ships, no tender needed.",
            "Twelve, then, provided the berths go to tender.",
            ["lease-cap", "tender"],
        ),
        (
            "Fifteen years and a berth for our frigates.",
            "Thirteen, maybe.",
            ["lease-cap", "no-navy"],
        ),
    ]
    for demand, turn, guessed in cases:
        ctx = context(turn, previous=demand, scenario=scenario)
        assert judge.assess(ctx, RUBRIC).labels.red_line_breaches == ["lease-cap"]
        assert guessing.assess(ctx, RUBRIC).labels.red_line_breaches == guessed
