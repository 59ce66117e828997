"""Importing schools from CSV (admin): the file's size, rows and columns are checked at once; its rows
are checked (a preview), then written, in the background a chunk at a time, with progress shown."""

import csv
import io

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alerts.models import School, SchoolImport
from portal import outbox

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

    def validate_unique(self):
        # A row whose slug exists updates that school (checked against the file and the table in
        # one query per chunk), so no query per row.
        pass


MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Rows checked or written per task: about a second each, so no task runs into a worker's timeout.
CHUNK_ROWS = 2_000
MAX_ERRORS_KEPT = 200


class ImportRefused(ValueError):
    """The file is refused before any row is read, with the reason in the admin's words."""


def _rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    return header, list(reader)


def _prepared(raw: dict) -> dict:
    data = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
    data["slug"] = data.get("slug") or slugify(f"{data.get('name', '')} {data.get('city', '')}")[:220]
    data["return_rule"] = data.get("return_rule") or School.ReturnRule.HOURS_24
    data["allow_classroom_scope"] = data.get("allow_classroom_scope", "").lower() in TRUE_WORDS
    return data


def start_import(*, user, text: str, write: bool) -> SchoolImport:
    """Refuse at once a file that is too large, too long or lacks a column; check (or, after a clean
    check, write) its rows in the background, a chunk per task, with progress on the import's page."""
    if len(text.encode()) > MAX_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it and import each part.")
    header, rows = _rows(text)
    missing = [column for column in ("name", "city") if column not in header]
    if missing:
        raise ImportRefused(f"Missing columns: {', '.join(missing)}.")
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} can be imported at once.")
    job = SchoolImport.objects.create(created_by=user, text=text, write=write, rows_total=len(rows))
    outbox.on_commit("alerts.tasks.run_school_import", job.pk)
    return job


@transaction.atomic
def process_chunk(*, import_id: int) -> bool:
    """Check or write the next CHUNK_ROWS rows of an import. True while rows remain."""
    job = SchoolImport.objects.select_for_update().get(pk=import_id)
    if job.is_done:
        return False
    _, rows = _rows(job.text)
    chunk = [_prepared(raw) for raw in rows[job.rows_done : job.rows_done + CHUNK_ROWS]]
    if job.status == SchoolImport.Status.QUEUED:
        job.status = SchoolImport.Status.CHECKING
    if job.status == SchoolImport.Status.CHECKING:
        _check(job, chunk, earlier={_prepared(raw)["slug"] for raw in rows[: job.rows_done]})
    else:
        _write(chunk)
    job.rows_done += len(chunk)
    if job.rows_done >= job.rows_total:
        if job.status == SchoolImport.Status.CHECKING and job.write and not job.error_count:
            job.status, job.rows_done = SchoolImport.Status.WRITING, 0  # every row is fine: now write them
        else:
            job.status, job.finished_at = SchoolImport.Status.DONE, timezone.now()
            if job.write:
                job.text = ""  # written (or refused): the file is not kept
    job.save()
    return not job.is_done


def _check(job: SchoolImport, chunk: list[dict], *, earlier: set[str]) -> None:
    existing = set(School.objects.filter(slug__in=[data["slug"] for data in chunk]).values_list("slug", flat=True))
    seen = set(earlier)
    for offset, data in enumerate(chunk):
        errors = []
        if data["slug"] in seen:
            errors.append(f"The slug “{data['slug']}” appears twice in the file.")
        seen.add(data["slug"])
        form = SchoolRowForm(data)
        if not form.is_valid():
            errors.extend(f"{name}: {' '.join(messages)}" for name, messages in form.errors.items())
        if errors:
            job.error_count += 1
            if len(job.row_errors) < MAX_ERRORS_KEPT:
                line = job.rows_done + offset + 2  # the header is line 1
                job.row_errors.append({"line": line, "name": data.get("name", ""), "errors": errors})
        elif data["slug"] in existing:
            job.to_update += 1
        else:
            job.to_create += 1


def _write(chunk: list[dict]) -> None:
    """Create or update the chunk's schools by slug, in one statement (every row was checked)."""
    schools = []
    for data in chunk:
        form = SchoolRowForm(data)
        form.is_valid()
        schools.append(School(**form.cleaned_data))
    School.objects.bulk_create(
        schools, update_conflicts=True, unique_fields=["slug"], update_fields=[c for c in COLUMNS if c != "slug"]
    )
