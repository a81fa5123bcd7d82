"""Cue patterns for tone and escalation: insults, accusations, pleas, sarcasm, counter-threats.

All patterns describe how people speak under pressure in general, not any one scenario.
"""

from __future__ import annotations

from coach.evaluation.offline.text import compile_all

INSULT = compile_all(
    r"\b(?:liars?|lying|pirates?|gangsters?|thugs?|bully|bullies|fools?|idiots?|criminals?|"
    r"bandits?|terrorists?|clowns?)\b",
    r"\bgo to hell\b|\bdamn\b|\bshut up\b",
    r"\bwho do you think you are\b",
    r"\b(?:gangster|rogue|pariah|criminal) (?:state|regime|government)\b",
)
ACCUSATION = compile_all(
    r"\b(?:extortion|blackmail|sabotage|propaganda|outrage(?:ous)?|hostage|steal|theft|"
    r"piracy|lies|fabricat\w*|invent(?:ing|ed)? (?:quotes|facts|stories)|ransom note|"
    r"colony|bad faith)\b",
    r"\byou know it\b|\byou(?:'re| are) (?:lying|twisting)\b",
    r"\bthat is not what (?:i|we) said\b|\bthat's not what (?:i|we) said\b|\bnever offered\b",
    r"\bthreatening\b",
)
LYING = compile_all(
    r"\b(?:liars?|lying|lies|fabricat\w*|inventing)\b",
    r"\byou know it\b",
    r"\bthat is not what (?:i|we) said\b|\bthat's not what (?:i|we) said\b",
)
PLEA = compile_all(
    r"\bplease\b(?!,? (?:do|send|go ahead|note|take|tell|let me know|reconsider))",
    r"\b(?:i'm|i am) begging\b|\bi beg\b",
    r"\bmy career\b|\bhave my head\b|\bcrucify\b|\blost the room\b",
    r"\bwe can't lose\b|\bthere has to be something\b|\bwe simply can't\b",
    r"\bwait, wait\b|\bno, no\b|\bjust (?:keep|don't|restore|let)\b",
    r"\bwe're not trying to be difficult\b|\bthank you, truly\b",
)
CAPITULATION = compile_all(
    r"\bwhatever (?:you need|you want|you say|wording you)\b",
    r"\banything you (?:say|want|need)\b",
    r"\bwe'll do it\b",
    r"\bthank you, truly\b",
)
SARCASM = compile_all(
    r"\bhow (?:very|touching|generous|kind|original|convenient|thoughtful|brave)\b",
    r"\b(?:i'm|i am) sure (?:\w+ ){1,6}(?:find|be) (?:that |it )?(?:fascinating|delighted|"
    r"thrilled|interesting)\b",
    r"\bvery generous gift\b|\bbravely\b|\bexpect applause\b",
    r"\bgenerous\?|\bcredible\?|\bhumanitarian\?",
    r"\bby the way\b",
)
HEDGE = compile_all(
    r"\.\.\.|…",
    r"\bi suppose\b|\bmaybe\b|\bperhaps\b|\bi guess\b|\bi think\b|\bsort of\b|\bprobably\b",
    r"\bi'd have to\b|\bi would have to\b|\bi'd need to\b|\bi can't promise\b",
    r"\bmight be\b|\bcould probably\b",
)
IRRITATION = compile_all(
    r"!",
    r"\benough\b",
    r"\bevery (?:figure|time) (?:i|we) (?:put|give)\b",
    r"\byou (?:people )?never stop\b|\bhand out\b|\bpocketed\b",
    r"\bthen fly home\b|\bgo ahead\b|\bpublish whatever\b|\bshout if you like\b",
)
COUNTER_THREAT = compile_all(
    # "if you X, we will Y" / "we'll publish too" / "I'll recommend we expel" -- retaliation
    r"\bif (?:you|your|\w+ (?:cuts?|suspends?|stops?|closes?|publishes?|releases?)|a single|"
    r"one|the \w+ (?:go|goes|is|are|stop|stops)|they do)\b[^.]*?\b(?:we|i|my \w+|our \w+|"
    r"\w+ will)\b[^.]*?\b(?:will|'ll|would|shall)\b",
    r"\b(?:we|i)(?:'ll| will| shall) (?:publish|release|brief|expel|freeze|sink|block|close|"
    r"cut|stop|suspend|retaliate|take you|see you|refer|raise it|ask (?:the|every)|put out|"
    r"invite)\b",
    r"\b(?:then|so) (?:we'll|we will) (?:publish|release)\b|\bwe'll publish too\b",
    r"\bkeep this up\b|\bstopped at the border\b|\bwill hear (?:about )?(?:it|this)\b",
    r"\bon every television\b|\bby tonight\b.*\bhear\b|\bhear (?:about )?(?:it|this) by\b",
    r"\bwill have to reconsider\b|\blet me be clear about what happens\b",
    r"\bthen carry this home\b|\bwe will use it\b|\bsee him in front of\b",
)
DEESCALATE = compile_all(
    r"\bi (?:understand|appreciate|recognise|recognize|hear|see) (?:the|your|that|why|you)\b",
    r"\b(?:let me|let's|i'd like to|we could|i can|i'll|we can) (?:propose|offer|suggest)\b",
    r"\bwhat (?:i|we) can (?:offer|propose|give|do|take)\b",
    r"\bhere is (?:a|my|our) (?:proposal|offer|structure|idea)\b",
    r"\b(?:verification|verify|phased|reversible|pilot|interim|review in|joint (?:review|panel|"
    r"statement|declaration|log|centre|team)|hotline|notification protocol|observers?|"
    r"mutual restraint|step back|take a breath|cool down|without prejudice)\b",
    r"\bboth (?:of us|sides|governments)\b|\bshared\b|\btogether\b",
    r"\b(?:that's|that is) a fair (?:concern|point)\b|\bi welcome\b|\bwould be welcome\b",
    r"\bi'm sorry\b|\bi withdraw what i said\b|\bi didn't mean\b",
    r"\bi'd (?:be glad|rather)\b|\bwe'd welcome\b",
)
