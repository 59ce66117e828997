"""The Spanish catalogue of the account area (locale/es/LC_MESSAGES): complete, and compiled.

Django reads only the compiled .mo; the .po is what people edit. `make messages` keeps the two in
step, and these tests fail when someone edits one and forgets the other.
"""

import gettext
import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\}|</?[a-z]+")


def _unquote(line: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], line.strip()[1:-1])


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: {"msgid", "msgid_plural"?, "msgstr" or "msgstr[n]", "fuzzy"}."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"fuzzy": False}, None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(line)
            else:
                key, _, text = line.partition(" ")
                entry[key] = _unquote(text)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def as_catalogue(entries: list[dict]) -> dict:
    """What gettext's catalogue holds for these entries (plural forms under (msgid, n))."""
    catalogue = {}
    for entry in entries:
        if entry["msgid"] == "" or entry["fuzzy"]:
            continue
        if "msgid_plural" in entry:
            for key, value in entry.items():
                if match := re.fullmatch(r"msgstr\[(\d+)\]", key):
                    catalogue[(entry["msgid"], int(match.group(1)))] = value
        else:
            catalogue[entry["msgid"]] = entry["msgstr"]
    return catalogue


def test_the_compiled_catalogue_holds_exactly_what_the_po_file_says():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    compiled_catalogue = {key: value for key, value in translations._catalog.items() if key != ""}

    assert compiled_catalogue == as_catalogue(read_po(CATALOGUE / "django.po")), (
        "locale/es/LC_MESSAGES/django.mo is out of date: run `make messages`"
    )


def test_every_text_has_a_spanish_translation_with_the_same_placeholders_and_tags():
    entries = [entry for entry in read_po(CATALOGUE / "django.po") if entry["msgid"]]
    assert len(entries) > 200

    problems = []
    for entry in entries:
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        if entry["fuzzy"] or not all(translations):
            problems.append(f"untranslated or fuzzy: {entry['msgid']!r}")
        for source, translation in zip([entry["msgid"], entry.get("msgid_plural")], translations, strict=False):
            if source is not None and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                problems.append(f"placeholders or tags differ: {source!r} -> {translation!r}")
    assert problems == []
