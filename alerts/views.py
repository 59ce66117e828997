import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.authority import moderator_required
from alerts import access, services, tokens
from alerts.forms import (
    NEVER_WRITE,
    AddSchoolForm,
    ContactRequestForm,
    PreferencesForm,
    ReportForm,
    SubscribeForm,
    limit_school_choices,
)
from alerts.models import Alert, School, Subscription
from alerts.querysets import SCHOOL_SEARCH_LIMIT
from portal.clientip import client_ip
from portal.limits import LimitReached
from portal.pagecache import cache_anonymous_page

RECENT_WEEKS = 8
RECENT_ROWS_SHOWN = 40


def _school_query(request) -> str:
    return " ".join(request.GET.get("school_q", request.POST.get("school_q", "")).split())[:100]


def _client_ip(request) -> str | None:
    return client_ip(request)


@require_safe
@cache_anonymous_page
def index(request):
    query = _school_query(request)
    schools = list(School.objects.search(query)[:SCHOOL_SEARCH_LIMIT]) if query else None
    since = timezone.now() - datetime.timedelta(weeks=RECENT_WEEKS)
    weeks = list(Alert.objects.filter(created_at__gte=since).weekly_counts()[:RECENT_ROWS_SHOWN])
    return render(request, "alerts/index.html", {"school_q": query, "schools": schools, "weeks": weeks})


@require_safe
@cache_anonymous_page
def school_detail(request, slug):
    school = get_object_or_404(School, slug=slug)
    page = Paginator(Alert.objects.filter(school=school).weekly_counts(), 20).get_page(request.GET.get("page"))
    return render(request, "alerts/school.html", {"school": school, "page_obj": page})


@require_safe
def school_search(request):
    """The search-as-you-type source of static/js/alerts-school-search.js."""
    query = _school_query(request) or " ".join(request.GET.get("q", "").split())[:100]
    schools = School.objects.search(query)[:SCHOOL_SEARCH_LIMIT] if query else School.objects.none()
    field = SubscribeForm.base_fields["school"]
    return JsonResponse({"results": [{"value": s.slug, "label": field.label_from_instance(s)} for s in schools]})


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    query = _school_query(request)
    if request.method == "POST" and "find_school" not in request.POST:
        form = SubscribeForm(request.POST)
        if form.is_valid():
            services.subscribe(**form.cleaned_data)
            # The same answer whether or not the address already follows the school, in the language chosen.
            language = form.cleaned_data["language"]
            sent = reverse("alerts:subscribe_sent")
            return redirect(sent if language == Subscription.Language.ENGLISH else f"{sent}?lang={language}")
    elif request.method == "POST":
        # "Search schools" without JavaScript: show the matches, keep everything typed.
        form = SubscribeForm(initial=request.POST.dict())
    else:
        form = SubscribeForm(initial={"school": request.GET.get("school", "")})
    selected = form["school"].value() or ""
    limit_school_choices(form, query=query, selected=selected)
    return render(request, "alerts/subscribe.html", {"form": form, "school_q": query})


def _render_in(request, language: str | None, template: str, context: dict | None = None, status: int = 200):
    """A subscriber's page in the language they chose; the site's header and footer stay English."""
    # A plain str: WSGI servers refuse a header value of any other type (a TextChoices member included).
    language = str(language if language in Subscription.Language.values else Subscription.Language.ENGLISH.value)
    with translation.override(language):
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


@require_safe
def subscribe_sent(request):
    days = tokens.CONFIRM_MAX_AGE.days
    return _render_in(request, request.GET.get("lang"), "alerts/subscribe_sent.html", {"days": days})


def _invalid_link(request, *, token: str = "", subscription: Subscription | None = None):
    language = subscription.language if subscription else tokens.language_of_link(token)
    context = {"days": tokens.CONFIRM_MAX_AGE.days}
    return _render_in(request, language, "alerts/link_invalid.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    subscription = tokens.subscription_for_confirmation(token)
    if subscription is None:
        return _invalid_link(request, token=token)
    if request.method != "POST":
        # A page with a button: mail scanners that fetch links must not give consent.
        template = (
            "alerts/confirm.html" if subscription.status == Subscription.Status.PENDING else "alerts/confirmed.html"
        )
        return _confirmed_page(request, template, subscription, token, already=subscription.is_active)
    if subscription.status == Subscription.Status.PENDING:
        services.confirm_subscription(subscription=subscription, ip=_client_ip(request))
        subscription.refresh_from_db()
        return _confirmed_page(request, "alerts/confirmed.html", subscription, token, already=False)
    return _confirmed_page(request, "alerts/confirmed.html", subscription, token, already=True)


def _confirmed_page(request, template, subscription, token, *, already, form=None, added=None):
    if not subscription.is_active and template == "alerts/confirmed.html":
        return _invalid_link(request, subscription=subscription)
    form = form or AddSchoolForm()
    limit_school_choices(form, query=_school_query(request), selected=form["school"].value() or "")
    context = {
        "subscription": subscription,
        "token": token,
        "already": already,
        "form": form,
        "added": added,
        # The same page every email links to: which grade, how often, in which language.
        "manage_url": reverse("alerts:manage", args=[tokens.unsubscribe_token(subscription)]),
    }
    return _render_in(request, subscription.language, template, context)


@require_POST
def confirm_add_school(request, token):
    subscription = tokens.subscription_for_confirmation(token)
    if subscription is None or not subscription.is_active:
        return _invalid_link(request, token=token, subscription=subscription)
    if "find_school" in request.POST:
        return _confirmed_page(request, "alerts/confirmed.html", subscription, token, already=True)
    form = AddSchoolForm(request.POST)
    added = None
    if form.is_valid():
        added = services.add_school(
            subscription=subscription, school=form.cleaned_data["school"], ip=_client_ip(request)
        )
        form = None
    return _confirmed_page(request, "alerts/confirmed.html", subscription, token, already=True, form=form, added=added)


# RFC 8058 one-click: mail providers POST without cookies or a CSRF token. The signed token is
# the proof; the action is idempotent and only ever removes mail.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription, all_digests = tokens.subscription_for_unsubscribe(token)
    if subscription is None:
        return _invalid_link(request, token=token)
    context = {"subscription": subscription, "all_digests": all_digests, "token": token}
    if request.method == "POST":
        services.unsubscribe(subscription=subscription, all_digests=all_digests)
    elif Subscription.objects.stopped_by_link(subscription, all_digests=all_digests).exists():
        return _render_in(request, subscription.language, "alerts/unsubscribe.html", context)
    # Reopening a link whose work is done says so, rather than offering the button again.
    return _render_in(request, subscription.language, "alerts/unsubscribed.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    """From the link in every email: change grade, delivery and language, no account needed."""
    subscription, _ = tokens.subscription_for_unsubscribe(token)
    if subscription is None:
        return _invalid_link(request, token=token)
    saved = False
    if request.method == "POST" and subscription.is_active:
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.update_preferences(subscription=subscription, **form.cleaned_data)
            subscription.refresh_from_db()  # the page answers in the language just chosen
            saved = True
    else:
        form = PreferencesForm.for_subscription(subscription)
    context = {"subscription": subscription, "form": form, "token": token, "saved": saved}
    return _render_in(request, subscription.language, "alerts/manage.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    query = _school_query(request)
    if request.method == "POST" and "find_school" not in request.POST:
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.submit_report(
                    reporter=request.user,
                    school=data["school"],
                    kind=data["kind"],
                    scope=data["scope"],
                    scope_label=data["scope_label"],
                    window_start=data["window_start"],
                    window_end=data["window_end"],
                    note_to_moderators=data["note_to_moderators"],
                )
            except LimitReached as limit:
                form.add_error(None, f"{limit.message} What you wrote is kept.")
            else:
                return redirect("alerts:report_sent", pk=created.pk)
    elif request.method == "POST":
        form = ReportForm(initial=request.POST.dict())
    else:
        form = ReportForm(initial={"school": request.GET.get("school", "")})
    limit_school_choices(form, query=query, selected=form["school"].value() or "")
    return render(request, "alerts/report.html", {"form": form, "school_q": query, "never_write": NEVER_WRITE})


@login_required
@require_safe
def report_sent(request, pk):
    sent = get_object_or_404(access.own_reports(request.user).select_related("school"), pk=pk)
    return render(request, "alerts/report_sent.html", {"report": sent})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_request(request):
    query = _school_query(request)
    if request.method == "POST" and "find_school" not in request.POST:
        form = ContactRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_contact(user=request.user, **form.cleaned_data)
            except LimitReached as limit:
                form.add_error(None, limit.message)
            else:
                return redirect("alerts:my_alerts")
    elif request.method == "POST":
        form = ContactRequestForm(initial=request.POST.dict())
    else:
        form = ContactRequestForm()
    limit_school_choices(form, query=query, selected=form["school"].value() or "")
    return render(request, "alerts/contact_request.html", {"form": form, "school_q": query})


@login_required
@require_safe
def my_alerts(request):
    subscriptions = [
        (subscription, PreferencesForm.for_subscription(subscription, auto_id=f"id_%s_{subscription.pk}"))
        for subscription in access.own_subscriptions(request.user).for_account_page()
    ]
    contacts = access.own_contacts(request.user).select_related("school")
    return render(request, "alerts/my_alerts.html", {"subscriptions": subscriptions, "contacts": contacts})


@login_required
@require_POST
def my_subscription(request, pk):
    """A member changes or ends a subscription of their own (verified) address."""
    subscription = get_object_or_404(access.own_subscriptions(request.user), pk=pk)
    if "unsubscribe" in request.POST:
        services.unsubscribe(subscription=subscription)
    else:
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.update_preferences(subscription=subscription, **form.cleaned_data)
        else:
            messages.error(request, "Those choices were not recognised, so nothing changed. Please choose again.")
    return redirect("alerts:my_alerts")


@moderator_required(refusal="The alerts audit is for moderators.")
@require_safe
def audit(request):
    page = Paginator(Alert.objects.for_audit(), 25).get_page(request.GET.get("page"))
    return render(request, "alerts/audit.html", {"page_obj": page})
