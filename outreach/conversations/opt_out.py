"""Recognising an opt-out however it is written: the carriers' keywords and the words people use, per language.

The FCC's 2024 rule (47 CFR 64.1200(a)(10)) makes "stop", "quit", "end", "revoke", "opt out", "cancel" and
"unsubscribe" a revocation when sent in reply, and any other wording a reasonable person would read as "stop texting
me" too. A phrase list alone misses the second half, so `detect` reads the reply clause by clause (reading.clauses)
and applies two kinds of rule:

1. **Keyword clauses.** A clause that, once polite words are set aside ("please", "thanks", "por favor"...) and
   repeats collapsed ("STOP STOP"), is exactly a keyword of a language (`KEYWORDS`): "Stop.", "please STOP!!",
   "Para", "Basta ya". A keyword inside a longer clause is not enough on its own ("Can I stop taking my meds?",
   "Stop by at 3?", "para el martes"): those reach staff.
2. **Intent rules** (`INTENT_RULES`): a verb of stopping aimed at messages or at being contacted ("stop sending me
   messages", "quit texting", "cancel my subscription"), a negated contact verb ("don't text me", "no me manden
   mensajes"), not wanting messages ("I don't want these texts", "ya no quiero mensajes"), "no more texts", taking
   a number off a list ("take me off your list", "sáquenme de la lista", "delete my number"), "unsubscribe" or "opt
   out" anywhere, "leave me alone", "wrong number".

Two guards keep the rules honest: a clause whose stop-words are negated or asked about ("please don't stop the
reminders", "why did you stop texting me?", "¿por qué dejaron de mandarme mensajes?") is not an opt-out; and a
clause that only asks for other times ("don't text me before 9", "stop texting me so early") is a preference for
staff, not an opt-out. Both are pinned by the labelled replies in tests/outreach/conversations/opt_out_replies.txt.

CANCEL (and Spanish "cancelar") is ambiguous: it may mean the visit. It opts out, as the rule requires, and the
result says `possible_cancellation` so the reply stays open for staff and the front desk is told.

Languages: each language has its own keyword list and rules (`KEYWORDS`, `INTENT_RULES`), so another language is a
new entry, not a new mechanism. An opt-out read in Spanish is answered in Spanish (`OptOutIntent.language`,
outreach.conversations.answers).
"""

import re
from dataclasses import dataclass

from outreach.conversations.reading import clauses

# Words said around a keyword that do not change it.
POLITE = {
    "en": ("please", "pls", "plz", "plse", "thanks", "thank you", "thank u", "thx", "ty", "now", "ok", "okay", "k",
           "just", "asap", "already", "sorry", "hi", "hello", "hey", "again", "all", "lol", "for real", "jk"),
    "es": ("por favor", "porfa", "porfavor", "xfa", "gracias", "ya", "ahora", "ok", "okay", "hola", "si", "oiga",
           "senor", "senora", "todo", "todos", "muchas gracias"),
}  # fmt: skip
KEYWORDS = {
    "en": ("stop", "stopall", "stop all", "stop it", "stop this", "stop that", "stop texting", "stop messages",
           "unsubscribe", "unsub", "cancel", "end", "quit", "quit it", "revoke", "optout", "opt out", "remove",
           "remove me", "no more", "enough"),
    "es": ("para", "parar", "pare", "paren", "parale", "alto", "basta", "cancelar", "cancela", "cancelo", "baja",
           "de baja", "dar de baja", "darme de baja", "detener", "detente", "deten", "fin", "terminar", "no mas",
           "suficiente", "salir"),
}  # fmt: skip
# Keywords that may also mean "cancel my visit".
CANCEL_WORDS = {"cancel", "cancelar", "cancela", "cancelo"}

_TEXTS = (
    r"(?:texts?|text messages?|txts?|messages?|msgs?|sms|smss|reminders?|notifications?|alerts?|emails?|e ?mails?"
    r"|calls?|spam|updates?|subscriptions?)"
)
_DETERMINERS = r"(?:(?:all|the|these|those|this|your|ur|any|my|of|from|with|receiving|getting|sending|more|such"
_DETERMINERS += r"|further|automated|automatic|appointment|visit|reminder|text|clinic|stupid|damn|annoying) )*"
_ES_TEXTS = r"(?:mensajes?|textos?|recordatorios?|notificaciones?|sms|correos?|llamadas?|avisos?|alertas?)"
_ES_DETERMINERS = r"(?:(?:mas|ningun|ninguna|ningunos|estos|estas|esos|sus|tus|los|las|sus|de|mis|otro|otros) )*"

INTENT_RULES = {
    "en": [
        # A verb of stopping aimed at contacting: "stop texting me", "quit sending me stuff", "stop bugging me".
        (
            "stop contacting",
            r"\b(?:stop|quit|cease|end|halt|pause)\b (?:(?:all|the|this|with|your|ur|ever) )*"
            r"(?:texting|txting|messaging|msging|contacting|emailing|calling|sending|spamming|bugging|bothering"
            r"|harassing|pestering|hitting me up)\b",
        ),
        # A verb of stopping aimed at messages: "stop the texts", "cancel my subscription", "end all reminders".
        (
            "stop messages",
            rf"\b(?:stop|quit|cease|end|halt|pause|cancel|unsubscribe from|opt out of|block|turn off|disable)\b"
            rf" {_DETERMINERS}{_TEXTS}\b",
        ),
        # A contact verb negated as a request: "don't text me", "never contact me again", "do not send me texts".
        (
            "do not contact",
            r"(?:^|\b(?:please|pls|just|kindly|and|so|ok|now) )(?:do not|dont|never|quit|stop)"
            r" (?:ever )?(?:text|txt|message|msg|contact|email|call|send|sms|reach out to)(?:ing)?"
            r" (?:me|us|this number|my number|my phone|anything|any more|anymore|again|texts|messages)\b",
        ),
        # Not wanting messages: "I don't want these texts", "I no longer wish to receive reminders".
        (
            "not wanted",
            r"\b(?:do not|dont|no longer|never) (?:want|wish|like|care for)"
            r"(?: to (?:get|receive|have|be getting|keep getting|be receiving|keep receiving|see))?"
            rf" (?:(?:any|these|those|the|your|ur|more|any more|anymore|such|further|all|of|this|reminder) )*"
            rf"{_TEXTS}\b",
        ),
        (
            "not wanted",
            r"\b(?:do not|dont|no longer|never) (?:want|wish|like) to be (?:texted|contacted|messaged|called|emailed"
            r"|bothered|on (?:your|the|this) list)\b",
        ),
        # "I want these texts to stop", "these texts need to stop".
        (
            "messages stop",
            rf"\b{_TEXTS} (?:to|need to|needs to|must|have to|has to|should|gotta|got to) (?:stop|end|cease)\b",
        ),
        # "I asked you to stop", "I said stop".
        ("asked before", r"\b(?:asked|told) you (?:to stop|not to|to quit)\b|\bi (?:said|already said) stop\b"),
        # "no more texts", "no texts please", "enough with the messages".
        (
            "no more",
            rf"(?:^no|\bno more|\benough|\benough with|\benough of) {_DETERMINERS}{_TEXTS}\b(?! (?:yet|today|from))",
        ),
        # Off the list: "take me off your list", "remove me from this", "delete my number", "lose my number".
        (
            "off the list",
            r"\b(?:take|remove|delete|drop|erase|get|cross|scratch|unsubscribe|opt|unenroll|unenrol|unregister)"
            r" (?:me|my number|my phone|my phone number|this number|my name|my info|my information|us|my cell)"
            r"(?: (?:off|from|out of|out)(?: (?:your|the|this|ur|all|any|these|those|all your|all the|all of))?"
            r"(?: (?:texting |mailing |contact |sms |text |email |reminder )?(?:lists?|texts?|messages?|reminders?"
            r"|system|database|this|it|them|that))?)?$",
        ),
        ("off the list", r"\b(?:lose|forget|delete|remove|erase) (?:my|this) (?:number|phone number|cell)\b"),
        ("off the list", r"\b(?:off|out of) (?:your|the|this|ur|all|all your|any) (?:lists?|mailing lists?|system)\b"),
        # The words themselves, anywhere: "how do I unsubscribe", "I want to opt out".
        ("unsubscribe", r"\bunsub(?:scribe|scribing|scribed)?\b"),
        ("opt out", r"\bopt(?:ing|ed)? (?:me )?out\b|\boptout\b"),
        ("leave me alone", r"\bleave (?:me|us|my family) alone\b"),
        ("wrong number", r"\bwrong (?:number|person|phone|#)\b|\bnot (?:the|a) (?:right|correct) (?:number|person)\b"),
        ("never signed up", r"\b(?:never|did not|didnt) (?:signed|sign) up\b"),
    ],
    "es": [
        # "no me manden más mensajes", "no me escriban", "no me molesten".
        (
            "no me manden",
            r"\bno (?:me |nos )?(?:manden|mandes|mande|mandar|envien|envies|envie|enviar|escriban|escribas|escriba"
            r"|contacten|contactes|contacte|llamen|molesten|molestes|moleste|textees|texteen)\b",
        ),
        (
            "no quiero que",
            r"\bno quiero que me (?:escriban|manden|envien|contacten|llamen|molesten|sigan mandando"
            r"|sigan escribiendo)\b",
        ),
        (
            "borren mi numero",
            r"\b(?:eliminen|borren|quiten|eliminar|borrar|quitar|saquen|sacar) (?:mi|este)"
            r" (?:numero|telefono|celular)\b",
        ),
        # "ya no quiero mensajes", "no quiero recibir más textos".
        (
            "no quiero",
            rf"\b(?:ya )?no (?:quiero|queremos|deseo|necesito)"
            rf" (?:(?:recibir|seguir recibiendo|tener|mas|ningun|ninguna|estos|estas|sus|tus|los|las|sus) )*"
            rf"{_ES_TEXTS}\b",
        ),
        # "dejen de mandarme mensajes", "para de escribirme".
        (
            "dejen de",
            r"\b(?:dejen|deja|deje|dejar|dejes|paren|para|pare|parar|basta) de (?:mandar|enviar|escribir|molestar"
            r"|textear|contactar|llamar|mensajear)\w*",
        ),
        ("no mas", rf"\b(?:no mas|basta de|ya basta de|suficiente) {_ES_DETERMINERS}{_ES_TEXTS}\b"),
        (
            "de la lista",
            r"\b(?:sacame|saquenme|sacarme|quitame|quitenme|quitarme|borrame|borrenme|borrarme|eliminame|eliminenme"
            r"|eliminarme|sacar|quitar|borrar|eliminar)(?: mi numero)? de (?:la|su|tu|esta|sus|las|vuestra) listas?\b",
        ),
        ("de baja", r"\b(?:darme|dar|dame|denme|me doy|doy|darse|quiero darme) de baja\b"),
        (
            "cancelar mensajes",
            rf"\b(?:cancelar|cancela|cancelo|cancelen|parar|detener|desactivar|quitar) {_ES_DETERMINERS}{_ES_TEXTS}\b",
        ),
        ("dejenme en paz", r"\b(?:dejenme|dejame|dejeme|dejennos) en paz\b"),
        ("numero equivocado", r"\bnumero equivocado\b|\bse equivoc\w* de numero\b|\bno soy (?:yo|esa persona)\b"),
    ],
}
# A stop-word negated or asked about, right before the match: "please don't stop the reminders", "why did you stop".
NEGATED_BEFORE = {
    "en": re.compile(
        r"\b(?:not|never|dont|didnt|doesnt|why(?: did| do| would| have| are)?(?: you| they| u)?|did you|have you"
        r"|if you|when you|when did you|whether|will you ever|can you not)"
        r"(?: (?:please|just|ever|want to|want you to|wish to|going to|gonna|to|let me|try to))? ?$"
    ),
    "es": re.compile(r"\b(?:no|nunca|por que|porque|si|cuando)(?: (?:me|nos|lo|la))? ?$"),
}
# A clause that only asks for other times or days is a preference for staff, not an opt-out.
ONLY_SOMETIMES = {
    "en": re.compile(
        r"\b(?:before|after|until|till|til|so early|so late|this early|this late|at night|in the morning|at work"
        r"|on weekends|on the weekend|on sundays|on saturdays|during work|during the day|while i am|between"
        r"|at \d|so often|so much|every day|twice|two times|so many)\b"
    ),
    "es": re.compile(
        r"\b(?:antes de|despues de|hasta|tan temprano|tan tarde|en la noche|por la noche|en la manana|los domingos"
        r"|los fines de semana|en el trabajo|tan seguido|tantos|tantas)\b"
    ),
}


_EMAIL = re.compile(r"\be ?mails?\b|\bcorreos?\b")
_NOT_EMAIL = re.compile(r"\b(?:texts?|txts?|messages?|msgs?|sms|reminders?|mensajes?|textos?|recordatorios?)\b")


@dataclass(frozen=True)
class OptOutIntent:
    language: str
    rule: str  # "keyword" or an intent rule's name: for tests and logs (never log the reply itself)
    keyword: str  # the keyword in the registry's form ("STOP", "CANCELAR"), or the rule's name
    possible_cancellation: bool = False
    channels: tuple = ("sms",)  # "stop the emails", texted, is an email opt-out


def _channels(matched):
    if _EMAIL.search(matched):
        return ("sms", "email") if _NOT_EMAIL.search(matched) else ("email",)
    return ("sms",)


def _compile(language):
    rules = [(name, re.compile(pattern)) for name, pattern in INTENT_RULES[language]]
    polite = sorted(POLITE[language], key=len, reverse=True)
    polite_re = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in polite) + r")\b")
    return rules, polite_re, frozenset(KEYWORDS[language])


_COMPILED = {language: _compile(language) for language in KEYWORDS}


def _bare(clause, polite_re):
    """The clause without polite words, repeats collapsed: "stop stop please" -> "stop"."""
    words = polite_re.sub(" ", clause).split()
    collapsed = [word for i, word in enumerate(words) if i == 0 or word != words[i - 1]]
    return " ".join(collapsed)


def _keyword_in(clause, polite_re, keywords):
    bare = _bare(clause, polite_re)
    if bare in keywords:
        return bare
    # A keyword said twice with a polite word between ("stop please stop") collapses to itself twice.
    half = bare.split()
    if len(half) % 2 == 0 and half[: len(half) // 2] == half[len(half) // 2 :]:
        candidate = " ".join(half[: len(half) // 2])
        if candidate in keywords:
            return candidate
    return None


def detect(text):
    """The opt-out a reply expresses, or None. Reads every clause in every language; the first match wins."""
    for clause in clauses(text):
        for language, (_rules, polite_re, keywords) in _COMPILED.items():
            keyword = _keyword_in(clause, polite_re, keywords)
            if keyword is not None:
                return OptOutIntent(language, "keyword", keyword.upper(), keyword in CANCEL_WORDS)
        for language, (rules, polite_re, _keywords) in _COMPILED.items():
            if ONLY_SOMETIMES[language].search(clause):
                continue
            # Each rule reads the clause as written and without its polite words ("remove me from your list please").
            for said in dict.fromkeys((clause, _bare(clause, polite_re))):
                for name, pattern in rules:
                    match = pattern.search(said)
                    if match and not NEGATED_BEFORE[language].search(said[: match.start()]):
                        return OptOutIntent(language, name, name.upper(), channels=_channels(clause))
    return None


def is_opt_out(text):
    return detect(text) is not None
