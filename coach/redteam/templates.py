"""Sentence pools for the offline simulated trainees: general negotiation language, filled from
the scenario (red lines, may_concede, fallback, terms) and the counterpart's last move.

Slots: {holding} (a red line in the first person), {verb} and {object} (a red line's act and
object, for the weak style to give up), {concession} (a may_concede item), {fallback},
{demand} (the counterpart's pressed demand in the trainee's voice), and scenario terms such as
{trainee_country}, {counterpart_country}, {trainee_capital}, {deadline}, {venue}, {ally}.
"""

from __future__ import annotations

POOLS: dict[str, tuple[str, ...]] = {
    # -- firm and tactic-namer -------------------------------------------------------------
    "acknowledge": (
        "I hear your concern, and I take it seriously.",
        "I understand why {counterpart_country} wants movement before {deadline}.",
        "I appreciate the directness; let me be equally clear.",
        "I recognise that both sides need something to take home.",
        "I understand the pressure you face at home.",
        "Thank you for setting out your position so plainly.",
        "I see why this matters to {counterpart_country}.",
    ),
    "hold": (
        "Our position is unchanged: {holding}.",
        "Let me be precise, so there is no misunderstanding: {holding}.",
        "On this point {trainee_country} stands where it stood this morning: {holding}.",
        "That remains our line, and it stays where it is: {holding}.",
        "I want to be clear and calm about this: {holding}.",
        "So that nothing is misread later, {holding}.",
        "Nothing said today changes this: {holding}.",
    ),
    "offer": (
        "What we can offer is {concession}, as a first verifiable step.",
        "Here is a proposal: {concession}, phased, with a joint review within 30 days.",
        "We propose {concession}, on a reciprocal basis, with monitoring both sides can trust.",
        "I suggest we start with {concession} and reconvene next week to review progress.",
        "A practical step would be {concession}, verified by both sides before anything further.",
        "Within our mandate, we propose {concession}, reviewed by the end of the month.",
    ),
    "fallback": (
        "If we cannot agree here, our alternative is clear: we would {fallback}.",
        "We have a credible fallback and we are calm about it: to {fallback}.",
        "Our alternative does not depend on this meeting; we are ready to {fallback}.",
        "I would rather agree with you, but our fallback is real: we would {fallback}.",
    ),
    "question": (
        "What would {counterpart_country} need to see in a first phase to move?",
        "Help me understand: what is driving the timing on your side?",
        "Which part of our proposal would be hardest for you to defend at home, and why?",
        "What would make a phased approach workable for {counterpart_country}?",
        "What does your side need most from the first step?",
    ),
    # -- conceding ---------------------------------------------------------------------------
    "soft_accept": (
        "I understand. Perhaps we can find a way to accept {demand}.",
        "We do not want these talks to fail; {demand} might be acceptable to us.",
        "Let me see what I can do. We could probably live with {demand}.",
        "Maybe there is room here: {demand} sounds workable.",
    ),
    "accept": (
        "Fine, we accept what you ask: {demand}.",
        "All right. We agree to {demand}, if that is what it takes.",
        "Very well, {demand} is acceptable to us.",
        "Agreed: {demand}. Let us not lose the agreement over it.",
        "Yes, we can do {demand}.",
        "We will not oppose {demand}.",
    ),
    "give_up": (
        "If it helps, we could {verb} {object}.",
        "We might be willing to {verb} {object}, provided the talks continue.",
        "As long as you keep talking to us, we are prepared to {verb} {object}.",
        "Perhaps we could {verb} {object} in exchange for a little more time.",
        "To move forward, I can offer to {verb} {object}.",
        "We would be ready to {verb} {object} if you lower your voice.",
    ),
    "plea": (
        "We really do not want this to end badly.",
        "I hope you can see we are trying very hard here.",
        "Whatever you need, we will try to find a way.",
        "We are not trying to be difficult.",
        "Tell me what else would satisfy you.",
        "There has to be something we can agree on today.",
    ),
    # -- hothead -----------------------------------------------------------------------------
    "accuse": (
        "This is blackmail, and you know it.",
        "What you call a proposal is extortion, plain and simple.",
        "You are lying about the facts and everyone at this table knows it.",
        "This is outrageous! {counterpart_country} negotiates like a gangster state.",
        "Your government is acting in bad faith from start to finish.",
        "Who do you think you are, dictating terms to {trainee_country}?",
    ),
    "counter_threat": (
        "If you go ahead, we will take this to every television in the region.",
        "Keep this up and we will freeze every contract {counterpart_country} has with us.",
        "If you publish a word, we will publish everything too.",
        "We will retaliate, and you will not enjoy it.",
        "If your government tries this, {ally} will hear about it by tonight.",
        "Then we will cut every channel you still have in {trainee_capital}.",
    ),
    "walk_out": (
        "Then we are done here. I am walking out of this room.",
        "Enough! I did not come to {venue} to be insulted.",
        "Shout if you like; I am leaving.",
        "This meeting is over as far as I am concerned.",
        "Find yourself another partner. We are finished.",
        "I will not sit here and listen to this any longer.",
    ),
    # -- evasive -----------------------------------------------------------------------------
    "defer": (
        "I will have to consult {trainee_capital} before I can say anything.",
        "Let me take that back to my colleagues.",
        "I'm not in a position to answer that today.",
        "We will come back to you on that.",
        "I'd have to check with my minister first.",
        "I will reflect on what you have said.",
    ),
    "delay": (
        "We need more time to study the details.",
        "Perhaps we can return to it at a later session.",
        "It is a complex matter, and we should not rush it.",
        "There are many aspects to consider here.",
        "Maybe after the next round we will see more clearly.",
        "I think it is probably too early to say.",
    ),
    "vague": (
        "Various options are being looked at in {trainee_capital}.",
        "Let us not get ahead of ourselves.",
        "Everything is connected, so it is hard to answer one point alone.",
        "Our thinking on this is still developing.",
        "There are different views on this in my delegation.",
        "We are listening carefully to everything you say.",
    ),
}

NAMING: dict[str, tuple[str, ...]] = {
    "deadline_pressure": (
        "That is an artificial deadline, and we will not negotiate against a clock.",
        "Your timetable is not ours; a deadline set by one side does not decide the substance.",
        "The deadline is yours, not ours, and it will not hurry our answer.",
    ),
    "threat": (
        "That sounds like a threat, and threats will not change our answer.",
        "We will not negotiate under threat; let us return to the substance.",
        "I note the warning. Threats don't move a mandate.",
    ),
    "ultimatum": (
        "I hear an ultimatum. We answer proposals, not ultimatums.",
        "Calling it a final offer does not make it one; an ultimatum is not a negotiation.",
        "An ultimatum closes doors we both need open.",
    ),
    "salami_slicing": (
        "Each step you call small builds on the last one; that is salami slicing, and we will "
        "not take the next slice.",
        "Piece by piece is still the whole thing, and we are not adding one more slice.",
        "One slice at a time still adds up to the whole; every concession becomes the floor for "
        "the next ask.",
    ),
    "linkage": (
        "You have linked two separate issues. They belong in separate channels.",
        "Those are separate questions, and we won't link them.",
        "That matter is not a condition of this one; it is not on this table.",
    ),
    "divide_and_rule": (
        "You will not divide us from our partners; there is no daylight between us.",
        "Our partners co-signed this position, so trying to split us will not work.",
        "Trying to split us from {ally} will not change our answer.",
    ),
    "disinformation": (
        "That is not what was said, and I want to correct the record.",
        "We cannot verify that claim; let us put the facts to a joint panel.",
        "I need to correct the record: no such commitment was made.",
    ),
    "good_cop_bad_cop": (
        "I will deal with the person in this room, not with someone who is absent.",
        "The good cop and bad cop routine does not change our position.",
        "Whatever your colleague wants, I am negotiating with you: the person in this room.",
    ),
    "fait_accompli": (
        "A step taken alone has no legal effect for us, and we do not accept it.",
        "Unilateral facts do not create rights; our position is non-recognition.",
        "What was done without us has no legal effect on our position.",
    ),
    "public_pressure": (
        "We will not negotiate through the press; let us keep this private.",
        "Headlines are not a negotiating position. Let us keep the talks private.",
        "If you want to negotiate through the press, you will negotiate alone; let us keep "
        "this private.",
    ),
    "inducement": (
        "Our red lines are not for sale, however generous the offer.",
        "We will consider that offer on its own merits, apart from our red lines.",
        "That offer is welcome, but the rest isn't for sale.",
    ),
    "extreme_anchor": (
        "We will not bargain from that number; it has no basis in the facts.",
        "None of those figures is a basis for discussion; let us use objective criteria.",
        "We do not negotiate from an opening that extreme.",
    ),
}
"""Calm lines naming each tactic (or applying its counter), in the offline judge's terms."""

RECIPES: dict[str, tuple[tuple[str, ...], ...]] = {
    "firm": (
        ("acknowledge", "hold", "offer"),
        ("hold", "offer", "question"),
        ("hold", "fallback", "offer"),
    ),
    "hothead": (
        ("accuse", "counter_threat"),
        ("counter_threat", "walk_out"),
        ("accuse", "walk_out"),
    ),
    "evasive": (("defer", "delay"), ("vague", "defer"), ("delay", "vague")),
    "tactic-namer": (("name", "hold"), ("name", "hold", "question")),
}
"""Which pools make each turn of a style; a run cycles through them (conceding is staged)."""

CONCEDING_STAGES: tuple[tuple[str, ...], ...] = (
    ("soft_accept", "plea"),
    ("accept", "plea"),
    ("accept", "give_up"),
    ("give_up", "plea"),
)
"""The conceding style's turns, weaker as the run goes on (spread over the run's length)."""

CONNECTIVES = ("Once more:", "To repeat:", "Again,", "For the record,", "Let me say it again:")
"""Prefixes that keep a line from repeating verbatim once every pool is used up."""

DEFAULT_TERMS = {
    "trainee_country": "our government",
    "counterpart_country": "your government",
    "trainee_capital": "our capital",
    "deadline": "the deadline",
    "venue": "these talks",
    "ally": "our partners",
}
"""Values for the slots a scenario's terms leave out."""
