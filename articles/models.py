from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from articles.querysets import ArticleQuerySet

REVIEW_INTERVAL = timedelta(days=365)
# How far ahead an upcoming review counts as "due" (in the weekly email and on the page).
REVIEW_DUE_WINDOW = timedelta(days=30)
# The text a medical reviewer signs: once reviewed, these change only through an approved version.
REVIEWED_FIELDS = ["title", "summary", "key_points", "body"]


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first in the filter.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    """An educational article. `body` is Markdown; `body_html`, `body_text`, `toc` and
    `reading_minutes` are derived from it once, on save, by `articles.services`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Audience(models.TextChoices):
        PARENTS = "parents", "Parents"
        SCHOOLS = "schools", "Schools"
        CLINICIANS = "clinicians", "Clinicians"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The article's address: /articles/<slug>/.")
    summary = models.TextField(max_length=600, help_text="One or two plain sentences, shown in lists and search.")
    key_points = models.TextField(
        blank=True,
        max_length=1200,
        help_text="2 to 4 short plain sentences, one per line: what a parent should take away. Shown in a "
        "“Key points” box at the top of the article; reviewed like the body.",
    )
    body = models.TextField(
        help_text="Markdown. Use ## and ### for sections (they make the table of contents) and cite the "
        "references below as [1], [2] or [1][3]."
    )
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.PARENTS)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The latest review, kept by services.record_review so a page reads it with one join.
    last_review = models.ForeignKey(
        "Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    review_due = models.DateField(
        null=True, blank=True, help_text="Set to 12 months after each review; bring it forward if the evidence moves."
    )
    # Kept current by a PostgreSQL trigger (migration 0002), so bulk updates stay searchable too.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="articles_status_published"),
            # Created on PostgreSQL only (migration 0002).
            GinIndex(fields=["search_vector"], name="articles_search_vector_gin"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def key_point_list(self) -> list[str]:
        """The key points, one per non-empty line."""
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    @property
    def toc_sections(self) -> list[dict]:
        """The table of contents as h2 entries, each with its h3 entries as children."""
        sections: list[dict] = []
        for entry in self.toc:
            if entry["level"] == 3 and sections:
                sections[-1]["children"].append(entry)
            else:
                sections.append({**entry, "children": []})
        return sections

    def review_is_due(self, today: date | None = None) -> bool:
        today = today or date.today()
        return self.review_due is not None and self.review_due <= today + REVIEW_DUE_WINDOW


class Reference(models.Model):
    """A source, cited from the body as [position]."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(help_text="Cited in the body as [this number].")
    authors = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=400)
    journal = models.CharField("journal or publisher", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    doi = models.CharField("DOI", max_length=100, blank=True, help_text="Like 10.1176/ajp.155.2.264")
    pmid = models.CharField("PMID", max_length=12, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="articles_reference_unique_position"),
        ]

    def __str__(self):
        return f"[{self.position}] {self.title}"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def best_url(self) -> str:
        return self.doi_url or self.pubmed_url or self.url

    def as_snapshot(self) -> dict:
        return {name: getattr(self, name) for name in REFERENCE_FIELDS}


REFERENCE_FIELDS = ["position", "authors", "title", "journal", "year", "doi", "pmid", "url"]


class ReviewerProfile(models.Model):
    """What the public reads about a medical reviewer, linked from every badge they signed.

    A demonstration profile signs the demo content: its badge says plainly that no clinician
    reviewed the text.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile")
    slug = models.SlugField(max_length=80, unique=True, help_text="The profile's address: /articles/reviewers/<slug>/.")
    name = models.CharField(max_length=120, help_text="As it appears on the badge, e.g. Dr Ana Ruiz.")
    credentials = models.CharField(max_length=200, blank=True, help_text="e.g. MD, paediatric neurologist.")
    statement = models.TextField(
        max_length=1500, blank=True, help_text="A few plain sentences: who they are and what they check."
    )
    conflicts_of_interest = models.TextField(
        max_length=1500,
        blank=True,
        help_text="Payments, roles or interests that touch PANDAS/PANS care. Leave empty for none.",
    )
    is_demonstration = models.BooleanField(
        default=False, help_text="Demo content only: the badge says no clinician reviewed the text."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:reviewer", kwargs={"slug": self.slug})


class Review(models.Model):
    """A medical reviewer's sign-off on an article's text, written by services.record_review or
    services.approve_version; the article shows the text its latest review signed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="article_reviews")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(blank=True, help_text="What was checked. Seen by editors and reviewers only.")

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self):
        return f"{self.article} reviewed by {self.reviewer} on {self.reviewed_at:%Y-%m-%d}"

    @property
    def profile(self) -> "ReviewerProfile | None":
        """The reviewer's public profile, or None (read through select_related: no query)."""
        try:
            return self.reviewer.reviewer_profile
        except ReviewerProfile.DoesNotExist:
            return None

    @property
    def reviewer_name(self) -> str:
        return self.profile.name if self.profile else self.reviewer.display_name

    @property
    def is_demonstration(self) -> bool:
        return bool(self.profile and self.profile.is_demonstration)


class Revision(models.Model):
    """A snapshot of an article's content after a change: who, when, which fields changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_fields = models.JSONField(default=list)
    snapshot = models.JSONField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article} at {self.created_at:%Y-%m-%d %H:%M}"


class ArticleVersion(models.Model):
    """A change to a reviewed article's title, summary, key points, body or references, waiting for a
    medical reviewer. The public keeps reading the reviewed text until a reviewer approves this version."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for medical review"
        APPROVED = "approved", "Approved and published"
        SENT_BACK = "sent_back", "Sent back to the editors"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # {"title", "summary", "key_points", "body", "references": [{position, authors, ...}]}; versions saved
    # before key points existed lack "key_points", which then keeps the reviewed text.
    content = models.JSONField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="The reviewer's note when the version is sent back.")
    review = models.OneToOneField(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="version")
    # When the reviewers' emails were queued in the outbox (in the transaction that creates the version).
    reviewers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=models.Q(state="pending"), name="articles_one_pending_version"
            ),
        ]

    def __str__(self):
        return f"{self.article} — {self.get_state_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class ReviewDigest(models.Model):
    """One row per week the review-due emails were queued (the outbox sends them): a task that runs twice sends once."""

    week_start = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    article_count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Review digest of the week of {self.week_start}"
