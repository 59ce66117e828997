"""The portal's public vocabulary, and the known word closest to a misspelling: search's "Did you mean ...?".

Only what anyone may read feeds it: each app's `search.vocabulary()` yields the texts of its public
content (published articles, titles of public threads), so a held or members-only thread's title
never enters. The table is rebuilt by `rebuild` (celery beat, `seed_demo`, `manage.py
rebuild_search_words`); between two rebuilds it may still hold a word whose text has left public
view, which is why `portal.search.did_you_mean` offers a correction only once searching it finds
something the searcher may see.
"""

import re
from collections import Counter

from django.db import connection, transaction
from django.db.models.functions import Length

from portal.hooks import app_modules
from portal.models import SearchWord

MIN_WORD_LENGTH = 3  # shorter words are too many and too alike to correct
MAX_WORD_LENGTH = SearchWord._meta.get_field("word").max_length
# pg_trgm's similarity (shared trigrams / all trigrams). "immunoglobin" and "immunoglobulin": 0.65;
# "tonsils" and "toenails": 0.33.
MIN_SIMILARITY = 0.5
BATCH = 1000
TOKEN = re.compile(r"\w+")

# The closest known word to each typed word the vocabulary lacks; the trigram index answers `%`.
# Built from the model's own table name; the typed words are always passed as parameters.
CLOSEST_SQL = f"""
SELECT typed, closest.word
FROM unnest(%s::text[]) AS typed
CROSS JOIN LATERAL (
    SELECT word FROM {SearchWord._meta.db_table}
    WHERE word %% typed AND similarity(word, typed) >= %s
    ORDER BY similarity(word, typed) DESC, documents DESC, word
    LIMIT 1
) AS closest
WHERE NOT EXISTS (SELECT 1 FROM {SearchWord._meta.db_table} WHERE word = typed)
"""  # noqa: S608


def words_in(text: str) -> list[str]:
    """The words of `text` the vocabulary keeps: lower case, letters only, 3 to 40 of them."""
    words = TOKEN.findall(text.lower())
    return [word for word in words if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and word.isalpha()]


def public_texts():
    """Every public text the apps offer, one document at a time."""
    for module in app_modules("search"):
        if vocabulary := getattr(module, "vocabulary", None):
            yield from vocabulary()


@transaction.atomic
def rebuild() -> int:
    """Make the vocabulary the words of today's public texts; returns how many words it holds.

    Only the differences are written (a word gone, a new word, a changed count), so a rebuild on
    an unchanged portal costs two reads.
    """
    counts = Counter()
    for text in public_texts():
        counts.update(set(words_in(text)))
    stored = dict(SearchWord.objects.values_list("word", "documents"))
    gone = sorted(stored.keys() - counts.keys())
    for start in range(0, len(gone), BATCH):
        SearchWord.objects.filter(word__in=gone[start : start + BATCH]).delete()
    changed = [SearchWord(word=word, documents=count) for word, count in counts.items() if stored.get(word) != count]
    SearchWord.objects.bulk_create(
        changed, batch_size=BATCH, update_conflicts=True, unique_fields=["word"], update_fields=["documents"]
    )
    return len(counts)


def corrections(words: list[str]) -> dict[str, str]:
    """Each of `words` (from `words_in`) that the vocabulary lacks, mapped to the closest word it has,
    when one is at least MIN_SIMILARITY alike. One query."""
    if not words:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(CLOSEST_SQL, [list(dict.fromkeys(words)), MIN_SIMILARITY])
            return dict(cursor.fetchall())
    return _closest_in_python(words)


def _closest_in_python(words: list[str]) -> dict[str, str]:
    """SQLite's first look has no pg_trgm: the same similarity, computed here over the words whose
    length allows it (trigrams of a word of n letters: n + 1; similarity <= shorter / longer)."""
    shortest, longest = min(map(len, words)), max(map(len, words))
    candidates = list(
        SearchWord.objects.annotate(length=Length("word"))
        .filter(length__gte=(shortest + 1) * MIN_SIMILARITY - 1, length__lte=(longest + 1) / MIN_SIMILARITY - 1)
        .values_list("word", "documents")
    )
    known = {word for word, _ in candidates}
    found = {}
    for typed in dict.fromkeys(words):
        if typed in known:
            continue
        # As the SQL orders them: most alike, then most used, then alphabetical.
        best = min(((-similarity(word, typed), -documents, word) for word, documents in candidates), default=None)
        if best and -best[0] >= MIN_SIMILARITY:
            found[typed] = best[2]
    return found


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one lower-case word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[start : start + 3] for start in range(len(padded) - 2)}


def similarity(first: str, second: str) -> float:
    """pg_trgm's similarity() of two words: shared trigrams over all their trigrams."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b)
