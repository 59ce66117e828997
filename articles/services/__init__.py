"""Every write to articles: editing, review, publishing, revisions and the review emails.

The admin site, `seed_demo` and the tasks all come through here, so the rules hold whichever door a
change uses: only editors edit, only medical reviewers review, nothing is published without a
review, and every content change leaves a revision.

Once an article has been reviewed, its text (title, summary, key points, body, references) changes
only through an `ArticleVersion`: the editor's change waits, the public keeps reading the reviewed
text, and a medical reviewer approves the version (which publishes it and signs the badge) or sends
it back with a note. So the badge always names the reviewer of the text shown.

By subject (reads, such as the waiting version and its diff, are in `articles/selectors.py`):

- `rules.py`: what the others share: who may act, the publishing rule, the fields a revision keeps,
  `PublishingError`;
- `drafting.py`: creating and saving an article, restoring an earlier revision;
- `revisions.py`: the snapshot kept each time the content changes;
- `versions.py`: an editor's change to a reviewed text, waiting for a reviewer;
- `review.py`: a reviewer signs an article, approves a waiting version or sends it back;
- `publishing.py`: moving an article through draft, in review, published and archived;
- `reminders.py`: the emails: a version waits for reviewers, reviews fall due for editors.
"""

from articles.services.drafting import create_article, restore_revision, save_article
from articles.services.publishing import change_status, publish_article
from articles.services.reminders import (
    NOTICE_SWEEP_AFTER,
    send_review_due_digest,
    sweep_reviewer_notices,
    tell_reviewers_about_version,
)
from articles.services.review import approve_version, record_review, send_back_version
from articles.services.revisions import record_revision, snapshot_of
from articles.services.rules import (
    CONTENT_FIELDS,
    WORKFLOW_FIELDS,
    PublishingError,
    publishing_problem,
    text_needs_review,
)
from articles.services.versions import propose_version

__all__ = [
    "CONTENT_FIELDS",
    "NOTICE_SWEEP_AFTER",
    "WORKFLOW_FIELDS",
    "PublishingError",
    "approve_version",
    "change_status",
    "create_article",
    "propose_version",
    "publish_article",
    "publishing_problem",
    "record_review",
    "record_revision",
    "restore_revision",
    "save_article",
    "send_back_version",
    "send_review_due_digest",
    "snapshot_of",
    "sweep_reviewer_notices",
    "tell_reviewers_about_version",
    "text_needs_review",
]
