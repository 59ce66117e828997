"""Display names nobody can use to pass for someone else: one Unicode form (NFKC), a look-alike
skeleton for uniqueness (Unicode TR39 confusables, from the confusable-homoglyphs data), reserved
names and invisible characters refused."""

import re
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

SITE_NAME = "PANDAS Parent Network"
# Characters that render as blank space yet count as letters (Hangul fillers, Braille blank, …).
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
# Look-alikes inside ASCII itself, which the confusables data leaves as they are.
ASCII_ALIKES = str.maketrans({"0": "o", "1": "l", "I": "l", "|": "l"})
SEPARATORS = re.compile(r"[\s._\-]+")
RESERVED_WORDS = frozenset({"admin", "administrator", "admins", "staff", "mod", "mods", "moderator", "moderators"})
RESERVED_INSIDE = ("moderator", "administrator", "pandasparentnetwork")


def normalized(name: str) -> str:
    """The one form a name is stored in: NFKC (full-width and mathematical letters become plain)."""
    return unicodedata.normalize("NFKC", name)


def _ascii_alike(character: str) -> str:
    if character.isascii():
        return character
    for homoglyph in confusables_data.get(character, ()):
        if homoglyph["c"].isascii() and homoglyph["c"].isalnum():
            return homoglyph["c"]
    return character


def _words(name: str) -> list[str]:
    mapped = "".join(_ascii_alike(character) for character in normalized(name)).translate(ASCII_ALIKES).casefold()
    mapped = mapped.replace("rn", "m").replace("vv", "w")
    return [word for word in SEPARATORS.split(mapped) if word]


def skeleton(name: str) -> str:
    """Two names with the same skeleton look alike: "Harbor Moderator", "harbor.moderator", and the
    same written with a Greek omicron for an o."""
    return "".join(_words(name))


def has_invisible_characters(name: str) -> bool:
    return any(character in INVISIBLE for character in normalized(name))


def is_reserved(name: str) -> bool:
    """Names that would pass for the portal or its staff, whatever letters they are written in."""
    words = _words(name)
    joined = "".join(words)
    return (
        joined in RESERVED_WORDS
        or any(word in RESERVED_WORDS for word in words)
        or any(part in joined for part in RESERVED_INSIDE)
    )
