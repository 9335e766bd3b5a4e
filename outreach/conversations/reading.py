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
