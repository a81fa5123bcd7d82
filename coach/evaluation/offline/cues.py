"""Cue patterns for tone and escalation: insults, accusations, pleas, sarcasm, counter-threats.

All patterns describe how people speak under pressure in general, not any one scenario: word
classes (insult nouns, retaliation verbs) and sentence frames ("if you ..., we will ...",
"how very ...", "I'm begging you") rather than remembered sentences.
"""

from __future__ import annotations

from coach.evaluation.offline.text import compile_all

_INSULT_NOUN = (
    r"(?:liars?|pirates?|gangsters?|thugs?|bully|bullies|fools?|idiots?|criminals|bandits?|"
    # "criminal" the adjective of the law ("a criminal case") is not a name for someone
    r"criminal(?! (?:case|cases|proceedings?|process|charges?|courts?|law|code|investigations?|"
    r"trials?|liability|records?|justice|matters?|jurisdiction|offen[cs]es?|division))|"
    r"terrorists?|clowns?|crooks?|cowards?|barbarians?|savages?|vultures?|parasites?|"
    r"hypocrites?|mafia|mobsters?|racketeers?|extortionists?|blackmailers?)"
)
INSULT = compile_all(
    r"\b" + _INSULT_NOUN + r"\b",
    r"\bgo to hell\b|\bdamn(?:ed)?\b|\bshut up\b|\bhow dare you\b",
    r"\bwho do you think you are\b",
    r"\b(?:gangster|rogue|pariah|criminal|bandit|thug|mafia|outlaw|terrorist) "
    r"(?:state|regime|government|nation|country)\b",
)
ACCUSATION = compile_all(
    r"\b(?:extortion|blackmail\w*|sabotage|propaganda|outrage(?:ous)?|hostages?|steal\w*|"
    r"stole|theft|piracy|lies|fabricat\w*|ransom|colon(?:y|ial\w*)|vassal|bad faith|"
    r"coercion|intimidat\w*|bullying|hypocri\w+|cynical|shameless|disgrace\w*|"
    r"invent(?:ing|ed)? (?:quotes|facts|stories|things)|distort\w*|misrepresent\w*|whitewash|"
    r"rigged|rubber-stamp|sham|farce|charade|cover-?up)\b",
    r"\byou know it\b|\byou(?:'re| are) (?:lying|twisting|distorting|inventing)\b",
    r"\b(?:that|this) (?:is|was|'s) not what (?:i|we) (?:said|offered|agreed|proposed)\b",
    r"\b(?:we|i) never (?:offered|said|agreed|proposed)\b",
    # someone threatening someone, not "less threatening" as an adjective
    r"\b(?:is|are|you're|keep|keeps|stop|been) threatening\b|\bthreatening (?:us|me|our|my)\b",
)
LYING = compile_all(
    r"\b(?:liars?|lying|lies|fabricat\w*|inventing|falsehoods?|untruths?)\b",
    r"\byou know it\b",
    r"\b(?:that|this) (?:is|was|'s) not what (?:i|we) (?:said|offered|agreed|proposed)\b",
    r"\byou(?:'ve| have)? (?:invented|made up|dreamt up|dreamed up)\b|\bslander\w*",
)
PLEA = compile_all(
    r"\bplease\b(?!,? (?:do|send|go ahead|note|take|tell|let me know|reconsider|continue|"
    r"proceed|be assured|understand that|sit|share|put|carry|pass|report|convey|record|thank|"
    r"confirm|forward|inform|circulate|bring|provide|write|relay|check|add|find))",
    r"\b(?:i'm|i am|we're|we are) begging\b|\b(?:i|we) beg\b|\bi implore\b|\bhave mercy\b",
    r"\bmy (?:career|job|head|neck)\b|\b(?:crucify|destroy|finish|sack|fire) me\b",
    r"\b(?:we|i) (?:can't|cannot) (?:afford to )?(?:lose|survive|go back)\b",
    r"\b(?:there|there's) (?:has|must|have) (?:to be|be) (?:something|some way|a way)\b",
    # "help me understand / see ..." is a listening question, not a plea
    r"\bgive me something\b|\bhelp me\b(?! (?:to )?(?:understand|see|follow|grasp|get a sense))"
    r"|\bi need something to\b|\bi'm asking you\b",
    r"\b(wait|no|please|listen), \1\b",
    r"\b(?:desperate|desperately)\b|\bat our wits' end\b|\bwe have nothing left\b",
    r"\bi (?:really|truly|desperately) need\b|\bsorry to ask\b|"
    r"\b(?:my|our) position is (?:very |so |extremely )?(?:weak|impossible|untenable)\b",
)
CAPITULATION = compile_all(
    r"\bwhatever (?:you need|you want|you say|you ask|wording you|it takes|terms you|keeps)\b",
    r"\banything you (?:say|want|need|ask)\b",
    r"\bwe'll do it\b|\bas you wish\b|\byou win\b|\bwe (?:give in|surrender|yield)\b",
    r"\bon (?:your|whatever) terms\b|\bjust tell (?:me|us) what\b",
)
SARCASM = compile_all(
    r"\bhow (?:very|touching|generous|kind|original|convenient|thoughtful|brave|noble|"
    r"considerate|nice of|good of|lovely)\b",
    r"\b(?:i'm|i am) sure (?:\w+ ){1,6}(?:find|be) (?:that |it )?(?:fascinating|delighted|"
    r"thrilled|interesting|grateful|reassured|comforted)\b",
    r"\bwhat a (?:surprise|coincidence|generous|kind|touching|novel|charming)\b",
    r"\b(?:oh|ah),? (?:yes|of course|wonderful|splendid|marvellous|how|lovely|great|good|"
    r"perfect)\b",
    r"\bshall we (?:also )?(?:send|thank|congratulate|applaud|reward)\b",
    r"\b(?:expect|want|deserve) (?:applause|a medal|a prize|gratitude|our thanks)\b",
    r"\bshould (?:we|i) (?:be grateful|thank you|applaud)\b|"
    r"\bthank you for the (?:lesson|lecture)\b",
    r"\b(?:generous|credible|humanitarian|fair|reasonable|voluntary|friendly|neutral|"
    r"temporary|modest|helpful)\?",
    r"\b(?:very|so|most) (?:generous|kind|thoughtful|considerate) of you\b",
    r"\b(?:bravely|graciously|generously|kindly) (?:offer|agree|propose|consent|allow)\w*\b",
    # mock praise as a sentence of its own: "How quaint." "Impressive timing." "Happy?"
    r"(?:^|[.!?]\s+)how \w+[.!](?:\s|$)",
    r"(?:^|[.!?]\s+)(?:impressive|remarkable|brilliant|clever|charming|marvellous|splendid) "
    r"\w+[.!](?:\s|$)",
    r"(?:^|[.!?]\s+)(?:happy|satisfied|content|pleased)\?",
    r"\bwhat an? (?:remarkable|extraordinary|wonderful|marvellous|convenient|clever|impressive|"
    r"delightful)\b",
    r"\b(?:i'm|i am) sure (?:\w+ ){1,6}(?:love|enjoy|adore|relish)\b|\bborn yesterday\b",
)
HEDGE = compile_all(
    r"\.\.\.|…",
    r"\bi suppose\b|\bmaybe\b|\bperhaps\b|\bi guess\b|\bi think\b|\bsort of\b|\bprobably\b",
    r"\bi'd have to\b|\bi would have to\b|\bi'd need to\b|\bi can't promise\b",
    r"\bmight be\b|\bcould probably\b|\bin a way\b|\bmore or less\b|\bkind of\b",
)
IRRITATION = compile_all(
    r"!",
    r"\benough\b|\bfrankly\b|\bspare me\b|\bhow many times\b|"
    r"\bfor the (?:last|third|second) time\b",
    r"\bevery (?:figure|time|step|offer|concession) (?:i|we) (?:\w+ )?(?:put|give|make|offer|"
    r"take)\b",
    r"\byou (?:people )?(?:never|always) (?:stop|want more|ask for more)\b",
    r"\b(?:pocket|bank)(?:ed|s)? (?:it|each|every|the)\b",
    r"\bbe my guest\b|\bdo your worst\b|\bsuit yourself\b|\bso be it\b|\bgo ahead\b",
    r"\b(?:shout|publish|say|print|threaten|call) (?:whatever|what|all) you (?:like|want)\b|"
    r"\bif you (?:must|like|wish)\b",
    r"\bdon't lecture\b|\bdo not lecture\b|\bi've (?:already )?told you\b",
)
_RETALIATE = (
    r"(?:publish|release|leak|brief|expel|freeze|sink|block|close|cut|stop|suspend|retaliate|"
    r"respond in kind|sanction|impose|recall|refer|take (?:this|it|you|the matter)|see you|"
    r"raise (?:it|this)|put out|go (?:public|to the press)|tell the (?:world|press)|walk out|"
    r"leave (?:the table|these talks|this room)|reconsider|review our|downgrade|cancel|"
    r"withdraw our|ask (?:the|every|our)|invite)"
)
COUNTER_THREAT = compile_all(
    # "if you X, we will Y" / "should you X, we shall Y" -- retaliation announced
    r"\b(?:if|should|unless|the moment|the day) (?:you|your|\w+ (?:cuts?|suspends?|stops?|"
    r"closes?|publishes?|releases?|boards?|seizes?)|a single|one|the \w+ (?:go|goes|is|are|stop|"
    r"stops)|they do)\b[^.]*?\b(?:we|i|my \w+|our \w+|\w+ will)\b[^.]*?\b(?:will|'ll|would|"
    r"shall)\b",
    r"\b(?:we|i)(?:'ll| will| shall) (?:also |too )?" + _RETALIATE + r"\b",
    r"\b(?:you|they) will (?:regret|pay for)\b|\bthere will be consequences\b",
    r"\b(?:two|we) can play (?:at )?(?:that|this) game\b|\bdon't (?:force|push) us\b",
    r"\b(?:we|i) (?:will|shall) (?:have no choice|not hesitate)\b",
    r"\b(?:the|every) (?:press|world|camera|newspaper|television|parliament)\b[^.]*\bwill "
    r"(?:hear|know|see|learn)\b|\bwill hear (?:about )?(?:it|this|of it)\b",
    r"\bkeep (?:this|that) up\b|\bthese talks are over\b|\bthis meeting is over\b",
    r"\b(?:we|i) will have to (?:reconsider|review|revisit)\b",
    # the retaliation left for the listener to picture
    r"\b(?:you'll|you will) (?:soon )?(?:find out|see|learn|discover) what\b",
    r"\bsee how (?:your|they|you) (?:\w+ )?(?:like|enjoy)\b",
)
DEESCALATE = compile_all(
    r"\bi (?:understand|appreciate|recognise|recognize|hear|see|take) (?:the|your|that|why|you)\b",
    r"\b(?:let me|let's|i'd like to|we could|i can|i'll|we can) (?:propose|offer|suggest)\b",
    r"\bwhat (?:i|we) can (?:offer|propose|give|do|take)\b",
    r"\bhere is (?:a|my|our) (?:proposal|offer|structure|idea|suggestion)\b",
    r"\b(?:verification|verify|phased|reversible|pilot|interim|review in|joint (?:review|panel|"
    r"statement|declaration|log|centre|team|commission|working group)|hotline|notification "
    r"protocol|observers?|mediat\w+|mutual restraint|step back|take a breath|cool down|"
    r"cooling-off|de-?escalat\w+|confidence-building|without prejudice|common ground)\b",
    r"\bboth (?:of us|sides|governments|parties)\b|\bshared\b|\btogether\b",
    r"\b(?:that's|that is) a (?:fair|legitimate|reasonable) (?:concern|point|question)\b",
    r"\bi welcome\b|\bwould be welcome\b|\bi take your point\b",
    r"\bi'm sorry\b|\bi apologi[sz]e\b|\bi withdraw (?:that|what i said|the remark)\b|"
    r"\bi didn't mean\b",
    r"\bi'd (?:be glad|rather)\b|\bwe'd welcome\b|\bin good faith\b",
    r"\b(?:i|we) (?:propose|suggest)\b|\bwhat (?:\w+ ){0,2}can (?:offer|put on the table|"
    r"propose|give)\b|\bwould (?:much )?rather (?:we|meet|talk|continue)\b",
    r"\b(?:my|our) door (?:stays|remains|is) open\b|\blower the temperature\b|"
    r"\bway forward\b|\bcan work with\b|\bwould (?:welcome|be (?:very )?welcome)\b",
    r"\bforgive me\b|\bi (?:reacted|spoke) (?:badly|too quickly|harshly|in anger)\b",
)
