"""Recognising a text that suggests self-harm or a crisis, so it is never treated as an ordinary reply.

This clinic treats depression and PTSD. A patient who texts "I want to die" must get the 988 Lifeline at once and
the on-call clinician must hear of it at once; a patient who texts "the pain is killing me" should reach the front
desk like any other reply. The detector is a maintained phrase list over normalised text, deliberately simple so a
clinician can read it and a test can pin every decision.

How a message is read (`normalise`):
- case, accents and curly apostrophes are folded; contractions lose their apostrophe ("don't" -> "dont") and
  common ones are spelled out ("dont" -> "do not", "wanna" -> "want to", "im" -> "i am", "kms" -> "kill myself");
- runs of three or more of the same letter shrink ("dieee" -> "die"), digits inside words read as letters
  ("su1cidal"), a masked word is filled in ("k*ll" -> "kill");
- the few words that carry the most weight ("suicide", "suicidal", "myself") also match one typo away
  ("sucidal", "suicde", "myslef"); short words never match fuzzily ("kill" would otherwise catch "will").

What triggers (`CRISIS_PATTERNS`): first-person intent or wish (kill/hurt/harm myself, want to die, end my life,
no reason to live...), any mention of suicide, self-harm, and overdose stated as an act. Decisions, each pinned by
tests in tests/outreach/test_crisis.py:
- Negation is not interpreted: "I'm not suicidal but..." triggers. Someone raising suicide at a depression clinic
  gets a human now; the cost of a false alarm is one kind message and one look by the on-call clinician.
- Despair phrases ("I can't go on", "can't take it anymore") trigger for the same reason.
- Idioms about other things do not: "the pain is killing me", "this traffic is killing me", "I'd kill for a
  coffee", "I'm dying to know". They reach the staff inbox as ordinary replies, where a person reads them; a
  message that adds a real signal ("...and I want to die") triggers on that signal.
- Accidents do not: "I hurt myself at the gym", "cut myself shaving". Intent does: "want to hurt myself",
  "I keep cutting myself", "thinking about hurting myself".
- A question about a medicine is not an overdose: "can I take all my meds before the infusion?"; "I took a bunch
  of pills" and "I'm going to overdose" are.

Maintaining the list: add a pattern here with a comment, add the realistic message that motivated it (and any
neighbour that must not trigger) to the test lists, and run those tests. Patterns are regular expressions over the
normalised text (lower case, single spaces, words spelled out as above).
"""

import re
import unicodedata

# Words spelled out before matching, so patterns need list only one form.
SPELLINGS = {
    "im": "i am",
    "ive": "i have",
    "ill": "i will",
    "id": "i would",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "dnt": "do not",
    "cant": "can not",
    "cannot": "can not",
    "cnt": "can not",
    "wont": "will not",
    "isnt": "is not",
    "wasnt": "was not",
    "werent": "were not",
    "aint": "is not",
    "whats": "what is",
    "theres": "there is",
    "wanna": "want to",
    "wana": "want to",
    "wnna": "want to",
    "gonna": "going to",
    "gona": "going to",
    "gunna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "2": "to",
    "u": "you",
    "meself": "myself",
    "kms": "kill myself",
    "kys": "kill yourself",
    "kil": "kill",
    "kiling": "killing",
    "killin": "killing",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "od": "overdose",
    "oding": "overdosing",
    "suicidial": "suicidal",
    "sooicide": "suicide",
    "sewercide": "suicide",
    "liv": "live",
    "lyfe": "life",
    "wrist": "wrists",
}
# Two-word forms joined before matching.
JOINS = {"my self": "myself", "any more": "anymore", "un alive": "unalive", "self harming": "self harming"}
# The few heavy words that also match one typo away (Damerau-Levenshtein distance 1, words of 5+ letters).
FUZZY_WORDS = ("suicide", "suicidal", "myself")
MASKED_WORDS = ("kill", "killing", "suicide", "suicidal", "die", "dead", "myself", "life")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})

_SELF_INTENT = r"(?:to|about|of|wanna|want to|going to|will|keep|kept|been|started|start|urge to|urges to)"
_PILLS = r"(?:pills|meds|medication|medications|medicine|tablets|sleeping pills)"

CRISIS_PATTERNS = [
    # Suicide named at all (incl. suicidal, suicide note, suicide plan).
    r"\bsuicid\w*",
    r"\bunalive\w*",
    # Killing oneself.
    r"\bkill(?:ing|ed)? myself\b",
    r"\bto (?:end|off) myself\b",
    r"\b(?:hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|stab|stabbing|strangle) myself\b",
    r"\bslit(?:ting)? my (?:wrists|throat)\b",
    r"\bjump(?:ing)? (?:off|from|in front of) (?:a|the|my) (?:bridge|building|roof|cliff|balcony|train|car|truck"
    r"|overpass|window|ledge)\b",
    # Ending one's life.
    r"\b(?:end|ending|ended|take|taking|took) (?:my|my own) life\b",
    r"\bend(?:ing)? it (?:all|now|tonight|today|for good|forever)\b",
    # Wanting to die, or not to live.
    r"\b(?:want|wanted|wanting|ready|deserve|need|longing|wish i could|i should just|just want) to die\b",
    r"\bwant to be dead\b",
    r"\b(?:i should|i would rather|rather) be dead\b",
    r"\b(?:wish|wished) i (?:was|were|had been|could be) (?:dead|never born|gone forever)\b",
    r"\bwish i (?:was|were) not (?:alive|here|born)\b",
    r"\b(?:wish|hope|pray) i (?:do not|did not|will not|would not|never) wake up\b",
    r"\b(?:do not|not|no longer|never) want to (?:live|be alive|exist|wake up|be here anymore|be around anymore"
    r"|keep living|go on)\b",
    r"\bbetter off (?:dead|without me|if i (?:was|were) (?:dead|gone))\b",
    r"\b(?:no|not any|is no|any) (?:reason|point) (?:to|in|of) (?:live|living|going on|being alive|being here)\b",
    r"\bnothing (?:left )?to live for\b",
    r"\bwhat is the point (?:of|in) (?:living|life|going on|being alive)\b",
    r"\bnot worth living\b",
    # Harming oneself.
    r"\bself (?:harm\w*|injur\w*|mutilat\w*)\b",
    r"\b(?:hurting|cutting|burning|harming|harmed|harm) myself\b",
    rf"\b{_SELF_INTENT} (?:hurt|cut|burn|harm)(?:ing)? myself\b",
    r"\bcut(?:ting)? myself again\b",
    r"\bnot safe (?:with|around|by) myself\b",
    r"\b(?:do not|not) feel safe (?:with|around|by) myself\b",
    # Overdose as an act, not a question about a medicine.
    r"\b(?:i|to|will|just|plan to|planning to|going to|want to) overdose\b",
    r"\b(?:took|take|taking|taken|swallowed) (?:an |a )?overdose\b",
    r"\bi (?:have )?(?:just )?overdosed\b",
    rf"\b(?:took|swallowed|taken) (?:a bunch of|a handful of|a lot of|too many|the whole bottle of|every one of my"
    rf"|a bottle of) {_PILLS}\b",
    r"\b(?:took|swallowed) the whole bottle\b",
    # Despair said outright.
    r"\bcan not (?:go on|keep going|take (?:it|this) anymore|do this anymore|live like this)\b",
    r"\b(?:this is|saying) (?:my )?(?:final |last )?goodbye\b",
    r"\b(?:final|last) goodbye\b",
]
_COMPILED = [re.compile(pattern) for pattern in CRISIS_PATTERNS]


def _distance_at_most_one(word, target):
    """True when `word` is at most one edit (insert, delete, substitute, swap neighbours) from `target`."""
    if word == target:
        return True
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1 :] == shorter:
            return True
    return False


def _unmask(token):
    pattern = re.compile("^" + re.escape(token).replace(r"\*", "[a-z]") + "$")
    return next((word for word in MASKED_WORDS if pattern.match(word)), token.replace("*", ""))


def _word(token):
    if re.search(r"[a-z]", token):
        token = token.translate(LEET)
    token = re.sub(r"(.)\1{2,}", r"\1", token)
    if "*" in token:
        token = _unmask(token)
    token = token.strip("*")
    if len(token) >= 5 and token not in FUZZY_WORDS:
        token = next((word for word in FUZZY_WORDS if _distance_at_most_one(token, word)), token)
    return SPELLINGS.get(token, token)


def normalise(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[’‘'`´]", "", text)
    words = [_word(token) for token in re.split(r"[^a-z0-9@$*]+", text) if token.strip("*@$")]
    text = " ".join(word for word in words if word)
    for pair, joined in JOINS.items():
        text = re.sub(rf"\b{pair}\b", joined, text)
    return text


def crisis_match(text):
    """The pattern a message matched, or None. For logs and tests: never log the message itself."""
    normalised = normalise(text)
    for pattern in _COMPILED:
        if pattern.search(normalised):
            return pattern.pattern
    return None


def is_crisis(text):
    return crisis_match(text) is not None
