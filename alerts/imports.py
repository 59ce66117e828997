"""Importing schools from CSV (admin): validate every row, preview, then write in one transaction."""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.text import slugify

from alerts.models import School

COLUMNS = [
    "name",
    "slug",
    "district",
    "city",
    "region",
    "postal_code",
    "country",
    "email_domain",
    "return_rule",
    "allow_classroom_scope",
]
TRUE_WORDS = {"1", "true", "yes", "y"}


class SchoolRowForm(forms.ModelForm):
    class Meta:
        model = School
        fields = [c for c in COLUMNS if c != "allow_classroom_scope"] + ["allow_classroom_scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["country"].required = False

    def clean_country(self):
        return (self.cleaned_data.get("country") or "US").upper()


@dataclass
class ImportRow:
    line: int
    name: str
    action: str = ""  # "create", "update" or "" when the row has errors
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ImportRow]
    missing_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_columns and all(not row.errors for row in self.rows)

    @property
    def created(self) -> int:
        return sum(row.action == "create" for row in self.rows)

    @property
    def updated(self) -> int:
        return sum(row.action == "update" for row in self.rows)


def import_schools(*, text: str, dry_run: bool) -> ImportResult:
    """Validate every row; unless `dry_run` and only when no row has an error, write them all.

    A row whose slug (given, or made from name and city) exists updates that school.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in ("name", "city") if column not in header]
    if missing:
        return ImportResult(rows=[], missing_columns=missing)
    existing = {school.slug: school for school in School.objects.all()}
    rows, forms_to_save, seen = [], [], set()
    for line, raw in enumerate(reader, start=2):
        data = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        data["slug"] = data.get("slug") or slugify(f"{data.get('name', '')} {data.get('city', '')}")[:220]
        data["return_rule"] = data.get("return_rule") or School.ReturnRule.HOURS_24
        data["allow_classroom_scope"] = data.get("allow_classroom_scope", "").lower() in TRUE_WORDS
        school = existing.get(data["slug"])
        form = SchoolRowForm(data, instance=school)
        row = ImportRow(line=line, name=data.get("name", ""))
        if data["slug"] in seen:
            row.errors.append(f"The slug “{data['slug']}” appears twice in the file.")
        seen.add(data["slug"])
        if not form.is_valid():
            row.errors.extend(f"{name}: {' '.join(messages)}" for name, messages in form.errors.items())
        if not row.errors:
            row.action = "update" if school else "create"
            forms_to_save.append(form)
        rows.append(row)
    result = ImportResult(rows=rows)
    if result.ok and not dry_run:
        with transaction.atomic():
            for form in forms_to_save:
                form.save()
    return result
