from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchWord(models.Model):
    """A word of the portal's public text (published articles, public thread titles), for search's
    "Did you mean ...?". Rebuilt whole by `portal.vocabulary.rebuild`; never the source of a result."""

    word = models.CharField(max_length=40, primary_key=True)
    documents = models.PositiveIntegerField(help_text="How many articles and thread titles use the word.")

    class Meta:
        indexes = [GinIndex(fields=["word"], name="portal_searchword_trigram", opclasses=["gin_trgm_ops"])]

    def __str__(self):
        return self.word
