"""The editorial workflow lives here: editors write, medical reviewers sign off, editors publish.

Every write goes through `articles.services`, so the admin cannot skip a rule the services enforce.

- `article.py`: the article form with its references, reviews and revisions, saving (a reviewed
  text is filed as a version waiting for review) and the status actions;
- `review_pages.py`: the article's own pages: record a review, compare a waiting version (approve or
  send back), compare a revision (restore);
- `records.py`: categories, tags, the reviewers' queue of versions, reviewer profiles and reviews.
"""

from articles.admin import article, records, review_pages  # noqa: F401  (each registers its admins)
