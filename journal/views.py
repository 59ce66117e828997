"""The journal's pages: a child's caregivers only, never cached, never in search or sitemaps.

Every view takes its child through journal.access (404 for anyone who is not a caregiver: staff
too) and writes through journal.services. Responses carry `Cache-Control: private, no-store`.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alerts.forms import limit_school_choices
from journal import access, pdf, report, selectors, services, timeline
from journal.forms import EVENT_FORMS, CheckInForm, ChildForm, DayForm, ExposureStatusForm, SchoolForm, TimelineForm
from journal.models import CheckIn, Event
from journal.symptoms import SCALE_NOTE
from portal.limits import LimitReached

GET_OR_POST = ["GET", "HEAD", "POST"]


def journal_page(view):
    """Members only; the answer is never stored by a browser, a proxy or the page cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = login_required(view)(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def show_errors(form, error: ValidationError | LimitReached) -> None:
    """A service's refusal, next to the field it concerns (or above the form); what was typed stays."""
    if isinstance(error, LimitReached):
        form.add_error(None, f"{error.message} What you entered is kept.")
        return
    for name, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def _school_query(request) -> str:
    return " ".join(request.POST.get("school_q", request.GET.get("school_q", "")).split())[:100]


@journal_page
@require_safe
def home(request):
    return render(request, "journal/home.html", {"children": selectors.children_of(request.user)})


@journal_page
@require_http_methods(GET_OR_POST)
def add_child(request):
    query = _school_query(request)
    if request.method == "POST" and "find_school" not in request.POST:
        form, school_form = ChildForm(request.POST), SchoolForm(request.POST, prefix="place")
        school_given = bool(request.POST.get("place-school"))
        if form.is_valid() and (not school_given or school_form.is_valid()):
            try:
                child = services.add_child(user=request.user, **form.cleaned_data)
                if school_given:
                    services.add_school(user=request.user, child=child, **school_form.cleaned_data)
            except (ValidationError, LimitReached) as error:
                show_errors(form, error)
            else:
                messages.success(request, "The child is in your journal. Add today's check-in whenever you are ready.")
                return redirect("journal:child", child_id=child.pk)
        if not school_given:
            school_form = SchoolForm(prefix="place", initial={"grade": request.POST.get("place-grade", "")})
    elif request.method == "POST":
        form, school_form = (
            ChildForm(initial=request.POST.dict()),
            SchoolForm(prefix="place", initial=_prefixed(request)),
        )
    else:
        form, school_form = ChildForm(), SchoolForm(prefix="place")
    limit_school_choices(school_form, query=query, selected=school_form["school"].value() or "")
    return render(request, "journal/child_form.html", {"form": form, "school_form": school_form, "school_q": query})


def _prefixed(request) -> dict:
    return {key.removeprefix("place-"): value for key, value in request.POST.items() if key.startswith("place-")}


@journal_page
@require_safe
def child(request, child_id):
    child, link = access.child_for(request.user, child_id)
    rows = selectors.event_rows(child)
    context = {
        "child": child,
        "link": link,
        "schools": selectors.schools_of(child),
        "check_ins": selectors.recent_check_ins(child),
        "pending": [row for row in rows if row.status == "pending"],
        "recent_events": [row for row in rows if row.status != "pending"][:5],
        "status_form": ExposureStatusForm(),
    }
    return render(request, "journal/child.html", context)


@journal_page
@require_http_methods(GET_OR_POST)
def edit_child(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    form = None
    if request.method == "POST":
        form = ChildForm(request.POST)
        if form.is_valid():
            try:
                services.update_child(user=request.user, child=child, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect("journal:child", child_id=child.pk)
    return _edit_page(request, child, form=form, school_form=SchoolForm(), query=_school_query(request))


def _edit_page(request, child, *, form, school_form, query):
    """The owner's page for the child's details and schools (each form keeps its input on error)."""
    if form is None:
        fields = ("label", "birth_year", "age_band", "onset_date", "onset_speed")
        form = ChildForm(initial={name: getattr(child, name) for name in fields})
    limit_school_choices(school_form, query=query, selected=school_form["school"].value() or "")
    context = {
        "child": child,
        "form": form,
        "school_form": school_form,
        "school_q": query,
        "schools": selectors.schools_of(child),
    }
    return render(request, "journal/child_edit.html", context)


@journal_page
@require_POST
def add_school(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    query = _school_query(request)
    if "find_school" in request.POST:
        return _edit_page(request, child, form=None, school_form=SchoolForm(initial=request.POST.dict()), query=query)
    school_form = SchoolForm(request.POST)
    if school_form.is_valid():
        try:
            services.add_school(user=request.user, child=child, **school_form.cleaned_data)
        except ValidationError as error:
            show_errors(school_form, error)
        else:
            messages.success(request, "School saved: its alerts will show in the journal.")
            return redirect("journal:edit_child", child_id=child.pk)
    return _edit_page(request, child, form=None, school_form=school_form, query=query)


@journal_page
@require_POST
def remove_school(request, child_id, placement_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    services.remove_school(user=request.user, child=child, placement_id=placement_id)
    messages.success(request, "School removed.")
    return redirect("journal:edit_child", child_id=child.pk)


@journal_page
@require_http_methods(GET_OR_POST)
def check_in(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.LOG)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            try:
                _, created = services.save_check_in(
                    user=request.user,
                    child=child,
                    date=day,
                    ratings=form.ratings,
                    note=form.cleaned_data["note"],
                    in_report=form.cleaned_data["in_report"],
                )
            except (ValidationError, LimitReached) as error:
                show_errors(form, error)
            else:
                messages.success(request, f"Check-in {'saved' if created else 'updated'} for {day:%-d %B %Y}.")
                return redirect("journal:child", child_id=child.pk)
        existing = None
    else:
        day_form = DayForm(request.GET, prefix="day")
        day = day_form.cleaned_data["date"] if day_form.is_valid() else timezone.localdate()
        existing = CheckIn.objects.filter(child=child, date=day).first()
        initial = {"date": day}
        if existing:
            initial.update({"note": existing.note, "in_report": existing.in_report})
            initial.update({key: str(value) for key, value in existing.ratings.items()})
        form = CheckInForm(initial=initial)
    context = {
        "child": child,
        "form": form,
        "existing": existing,
        "day_form": DayForm(prefix="day"),
        "scale_note": SCALE_NOTE,
    }
    return render(request, "journal/check_in.html", context)


@journal_page
@require_safe
def event_list(request, child_id):
    child, link = access.child_for(request.user, child_id)
    context = {"child": child, "link": link, "rows": selectors.event_rows(child), "status_form": ExposureStatusForm()}
    return render(request, "journal/events.html", context)


@journal_page
@require_http_methods(GET_OR_POST)
def add_event(request, child_id, category):
    form_class = EVENT_FORMS.get(category)
    if form_class is None:
        raise Http404("No such kind of event.")
    child, _ = access.child_for(request.user, child_id, access.LOG)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_event(
                user=request.user,
                child=child,
                category=category,
                date=data["date"],
                end_date=data.get("end_date"),
                details=form.details(),
                note=data["note"],
                in_report=data["in_report"],
            )
        except (ValidationError, LimitReached) as error:
            show_errors(form, error)
        else:
            messages.success(request, "Saved in the journal.")
            return redirect("journal:events", child_id=child.pk)
    context = {"child": child, "form": form, "category": category, "title": Event.Category(category).label}
    return render(request, "journal/event_form.html", context)


@journal_page
@require_POST
def delete_event(request, child_id, event_id):
    child, _ = access.child_for(request.user, child_id, access.LOG)
    services.delete_event(user=request.user, child=child, event_id=event_id)
    messages.success(request, "Event deleted.")
    return redirect("journal:events", child_id=child.pk)


@journal_page
@require_POST
def exposure(request, child_id, event_id):
    child, _ = access.child_for(request.user, child_id, access.LOG)
    form = ExposureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to confirm or to dismiss the exposure.")
        return redirect("journal:child", child_id=child.pk)
    try:
        services.set_exposure_status(
            user=request.user, child=child, event_id=event_id, status=form.cleaned_data["status"]
        )
    except Event.DoesNotExist:
        raise Http404("No such exposure.") from None
    confirmed = form.cleaned_data["status"] == "confirmed"
    messages.success(request, "Exposure confirmed." if confirmed else "Exposure dismissed.")
    back_to = "journal:events" if request.POST.get("next") == "events" else "journal:child"
    return redirect(back_to, child_id=child.pk)


@journal_page
@require_safe
def child_timeline(request, child_id):
    child, _ = access.child_for(request.user, child_id)
    form = TimelineForm(request.GET or None)
    period, groups = timeline.DEFAULT_PERIOD, None
    if form.is_bound and form.is_valid():
        period, groups = form.cleaned_data["period"] or period, form.cleaned_data["groups"] or None
    chart = timeline.build(child, period=period, groups=groups)
    if not form.is_bound or not form.is_valid():
        form = TimelineForm(initial={"period": period, "groups": chart.groups})
    return render(request, "journal/timeline.html", {"child": child, "form": form, "timeline": chart})


@journal_page
@require_safe
def child_report(request, child_id):
    """The clinician report as a page to print (and the link to its PDF)."""
    child, _ = access.child_for(request.user, child_id)
    return render(request, "journal/report.html", {"child": child, "report": report.build(child)})


@journal_page
@require_safe
def child_report_pdf(request, child_id):
    child, _ = access.child_for(request.user, child_id)
    built = report.build(child)
    response = HttpResponse(pdf.report_pdf({"child": child, "report": built}), content_type="application/pdf")
    # The file name carries the date only: never the child's label.
    response["Content-Disposition"] = f'attachment; filename="journal-report-{built.generated:%Y-%m-%d}.pdf"'
    return response
