"""The strategist's policy, signal by signal (pure, deterministic)."""

from coach.domain import Signal
from coach.engine.strategy import main_signal, next_plan, opening_plan
from tests.engine.fixtures import PERSONA


def plan(signals, level=1, demand_index=0, recent=None, difficulty=None):  # type: ignore[no-untyped-def]
    return next_plan(
        PERSONA,
        level=level,
        demand_index=demand_index,
        signals=signals,
        recent_tactics=recent or [["deadline_pressure"]],
        difficulty=difficulty,
    )


def test_opening_uses_the_start_level_first_move() -> None:
    first = opening_plan(PERSONA)
    assert first.level == 0
    assert first.tactics == ["extreme_anchor"]
    assert first.reaction.value == "open"


def test_difficulty_moves_the_start() -> None:
    assert opening_plan(PERSONA, "hard").level == 1


def test_concession_is_met_by_salami_slicing_and_the_next_demand() -> None:
    move = plan([Signal.CONCEDES])
    assert move.tactics[0] == "salami_slicing"
    assert move.reaction.value == "press"
    assert move.demand_index == 1
    assert move.previous_demand == "a 5% toll surcharge"
    assert move.demand == "a 10% toll surcharge"


def test_calm_firmness_switches_away_from_recent_tactics() -> None:
    move = plan([Signal.HOLDS_CALMLY], recent=[["deadline_pressure"], ["threat"]])
    assert move.reaction.value == "switch"
    assert not {"deadline_pressure", "threat"} & set(move.tactics)
    assert move.demand_index == 0


def test_escalation_is_met_by_counter_escalation_for_a_hothead() -> None:
    move = plan([Signal.ESCALATES], level=1)
    assert move.level == 2
    assert move.reaction.value == "counter"
    assert "threat" in move.tactics


def test_naming_the_tactic_gets_a_reaction_and_a_change() -> None:
    move = plan([Signal.NAMES_TACTIC], recent=[["threat"], ["deadline_pressure"]])
    assert move.reaction.value == "deny"
    assert "deadline_pressure" not in move.tactics


def test_concession_outranks_other_signals() -> None:
    assert main_signal([Signal.HOLDS_CALMLY, Signal.CONCEDES]) is Signal.CONCEDES
    assert main_signal([]) is Signal.HOLDS_CALMLY


def test_ladder_never_leaves_its_bounds() -> None:
    assert plan([Signal.ESCALATES], level=2).level == 2
    assert (
        next_plan(
            PERSONA, level=0, demand_index=0, signals=[Signal.PROPOSES_STEPS], recent_tactics=[]
        ).level
        == 0
    )


def test_demands_stop_at_the_last_one() -> None:
    assert plan([Signal.CONCEDES], demand_index=3).demand_index == 3


def test_same_state_same_move() -> None:
    assert plan([Signal.STALLS]) == plan([Signal.STALLS])


def test_no_salami_slicing_before_any_concession() -> None:
    for signal in Signal:
        if signal is Signal.CONCEDES:
            continue
        move = plan([signal], level=1, demand_index=0)
        assert "salami_slicing" not in move.tactics, signal


def test_the_speaker_fills_exactly_the_slots_the_validator_allows() -> None:
    from coach.engine.phrasebook import slot_values
    from coach.engine.strategy import opening_plan
    from coach.library.checks import BUILTIN_SLOTS
    from tests.engine.fixtures import SCENARIO

    values = slot_values(PERSONA, SCENARIO, opening_plan(PERSONA))
    assert set(values) == set(BUILTIN_SLOTS) | set(SCENARIO.terms) | set(PERSONA.terms)


def test_the_conceded_slot_quotes_the_trainee_or_falls_back_to_the_previous_demand() -> None:
    from coach.engine.phrasebook import quoted, slot_values
    from coach.engine.prompts import move_instruction
    from tests.engine.fixtures import SCENARIO

    before = plan([Signal.HOLDS_CALMLY], level=0, demand_index=1)
    assert slot_values(PERSONA, SCENARIO, before)["conceded"] == before.previous_demand
    assert "conceded" not in move_instruction(before)
    after = next_plan(
        PERSONA,
        level=0,
        demand_index=0,
        signals=[Signal.CONCEDES],
        recent_tactics=[],
        conceded="We could look at a joint inspection.",
    )
    assert after.conceded == "We could look at a joint inspection."
    assert slot_values(PERSONA, SCENARIO, after)["conceded"] == (
        '"we could look at a joint inspection"'
    )
    # the LLM is pointed at the concession; the trainee's words never enter a system message
    assert "actually conceded" in move_instruction(after)
    assert "joint inspection" not in move_instruction(after)
    assert quoted("I accept.") == '"I accept"'
    assert quoted("EU monitors may come.") == '"EU monitors may come"'
    assert quoted("Amrana could accept it.") == '"Amrana could accept it"'
    long = quoted(" ".join(["word"] * 40))
    assert long.endswith(' ..."') and len(long.split()) == 19


def test_an_exhausted_pool_reuses_the_line_spoken_longest_ago() -> None:
    from coach.engine.phrasebook import _pick, fingerprint

    lines = ["First line.", "Second line.", "Third line."]
    fps = [fingerprint(line) for line in lines]
    assert _pick(lines, [], "seed") in lines
    assert _pick(lines, fps[:2], "seed") == "Third line."  # the unused one
    for seed in ("a", "b", "c", "d"):
        assert _pick(lines, fps, seed) == "First line."
        # a line spoken again moves to the back of the queue
        assert _pick(lines, [*fps, fps[0]], seed) == "Second line."
