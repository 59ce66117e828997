from django import forms
from django.core.exceptions import ValidationError

from articles.models import Article, ArticleVersion, Reference
from articles.rendering import markdown_problems
from articles.services import publishing_problem

MIN_KEY_POINTS, MAX_KEY_POINTS = 2, 4


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "key_points",
            "category",
            "audience",
            "tags",
            "body",
            "status",
            "review_due",
        ]
        widgets = {"key_points": forms.Textarea(attrs={"rows": 4})}

    def clean_key_points(self):
        # One point per line; a pasted Markdown list loses its markers.
        lines = [
            line.strip().removeprefix("- ").removeprefix("* ").strip()
            for line in self.cleaned_data["key_points"].splitlines()
        ]
        points = [line for line in lines if line]
        if points and not MIN_KEY_POINTS <= len(points) <= MAX_KEY_POINTS:
            raise ValidationError(
                f"Write {MIN_KEY_POINTS} to {MAX_KEY_POINTS} key points, one per line (there are {len(points)}), "
                "or leave the box empty."
            )
        return "\n".join(points)

    def clean_body(self):
        body = self.cleaned_data["body"]
        # Citations are checked with the references, in ReferenceFormSet.clean.
        if problems := markdown_problems(body):
            raise ValidationError(problems)
        return body

    def clean_status(self):
        status = self.cleaned_data["status"]
        newly_published = status == Article.Status.PUBLISHED and not self.instance.is_published
        if newly_published and (problem := publishing_problem(self.instance)):
            raise ValidationError(problem)
        return status


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label="URL", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Reference
        fields = ["position", "authors", "title", "journal", "year", "doi", "pmid", "url"]
        error_messages = {"title": {"required": "Every reference needs a title."}}

    def clean_doi(self):
        doi = self.cleaned_data["doi"].strip()
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
            doi = doi.removeprefix(prefix)
        if doi and not doi.startswith("10."):
            raise ValidationError("A DOI starts with 10. — for example 10.1176/ajp.155.2.264.")
        return doi

    def clean_pmid(self):
        pmid = self.cleaned_data["pmid"].strip()
        if pmid and not pmid.isdigit():
            raise ValidationError("A PubMed ID is digits only, for example 9464208.")
        return pmid


class ReferenceFormSet(forms.BaseInlineFormSet):
    """References are numbered 1…N, and every [n] cited in the body must be one of them."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        positions = [
            form.cleaned_data["position"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if sorted(positions) != list(range(1, len(positions) + 1)):
            raise ValidationError(
                f"Number the references 1 to {len(positions)}, each number once: the body cites them as [1], [2]…"
            )
        if not self.has_changed() and self.instance.pk:
            # Unchanged references stand for a waiting version's own references, when there is one.
            pending = ArticleVersion.objects.filter(article=self.instance, state=ArticleVersion.State.PENDING).first()
            if pending is not None:
                positions = [ref["position"] for ref in pending.content["references"]]
        # The article form has already put the submitted body on the instance.
        if problems := markdown_problems(self.instance.body, reference_positions=set(positions)):
            raise ValidationError(problems)


class ReviewForm(forms.Form):
    notes = forms.CharField(
        label="What did you check?",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="For example: claims checked against the cited trials; dosing figures confirmed.",
    )
    confirm = forms.BooleanField(
        label="I have read this article and its references, and I sign it off as medically accurate and balanced."
    )


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="What needs to change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The editors see this note beside the article. Nothing is published.",
        error_messages={"required": "Say what needs to change: the note goes to the editors."},
    )


class ArticleFilterForm(forms.Form):
    """The list's filters. Choices come from a list fetched once, so rendering costs no query."""

    category = forms.ChoiceField(label="Category", required=False)
    audience = forms.ChoiceField(
        label="Written for", required=False, choices=[("", "Everyone"), *Article.Audience.choices]
    )

    def __init__(self, data, *, categories):
        super().__init__(data)
        self.fields["category"].choices = [("", "All categories")] + [(c.slug, c.name) for c in categories]
