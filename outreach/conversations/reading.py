"""Reading a reply as people write it: one folding of characters, shared by the keyword, opt-out and crisis readers.

`fold` turns what a phone keyboard produces into plain lower-case words: compatibility forms (full-width letters)
and accents are folded ("más" -> "mas"), straight and curly apostrophes and quotes are dropped so "Don't", "Don’t"
and "Dont" read the same, every other punctuation mark and emoji becomes a space, spaces collapse.
`clauses` also cuts a reply where a person pauses (. ! ? ; , and line breaks), so "Stop. I want to die" is read as
two clauses and each is judged on its own.
"""

import re
import unicodedata

# Apostrophes and quotes of every keyboard: dropped, never a word break ("don’t" -> "dont").
APOSTROPHES = "'’‘`´ʼʹ′＇\"“”„«»‹›"
_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PAUSE = re.compile(r"[.!?¡¿;,:\n\r…]+|\s[-–—]+\s")


def fold_characters(text):
    """Lower case, compatibility forms and accents folded, apostrophes and quotes removed; punctuation kept."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return _APOSTROPHE.sub("", text)


def fold(text):
    """The reply as plain words: "Don’t  TEXT me!!" -> "dont text me"."""
    return _NOT_WORD.sub(" ", fold_characters(text)).strip()


def split_clauses(text):
    """The reply's characters folded (fold_characters) and cut where a person pauses; readers fold each part further
    in their own way (the crisis reader keeps "*" and digits to read "k*ll" and "su1cidal")."""
    return [part for part in _PAUSE.split(fold_characters(text)) if part.strip()]


def clauses(text):
    """The reply cut where a person pauses, each clause folded; empty clauses dropped."""
    parts = (fold(part) for part in split_clauses(text))
    return [part for part in parts if part]


# Words common in Spanish replies and rare in English ones, and the reverse: enough to tell which language a short
# text is written in (a crisis text is answered in the language it was written in). Words both languages use ("no",
# "me", "a") count for neither.
_SPANISH_WORDS = frozenset(
    "que quiero quiere queria quisiera ya yo estoy esta este estos mi mis para por de la el los las una uno es soy "
    "voy vas va vivir morir muero matar matarme morirme suicidarme aguanto puedo nada nadie mas todo todos gracias "
    "hola pero porque con sin mejor tengo muy ahora hoy manana ayuda parar basta cita mensajes usted ustedes se le "
    "lo del al hacerme dano vida ganas".split()
)
_ENGLISH_WORDS = frozenset(
    "i the to you my want and is am it of this that not dont cant im ive will would be have has just anymore "
    "myself life kill die end with your what".split()
)


def looks_spanish(text):
    """True when a reply reads as Spanish rather than English (more Spanish than English marker words)."""
    words = fold(text).split()
    spanish = sum(word in _SPANISH_WORDS for word in words)
    english = sum(word in _ENGLISH_WORDS for word in words)
    return spanish > english
