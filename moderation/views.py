from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from accounts import authority
from alerts import services as alert_services
from alerts.models import ExposureReport, SchoolContact
from articles.rendering import render_article_body
from community import access as community_access
from community import services as community_services
from community.models import Post, Thread
from community.permissions import NotAllowed
from moderation import policy, selectors, services
from moderation.forms import (
    ContactDecision,
    ContactDecisionForm,
    DecisionForm,
    FlagForm,
    LogFilterForm,
    PostDecision,
    ReportDecision,
    ReportDecisionForm,
    ThreadTool,
    ThreadToolForm,
    WatchedWordForm,
)
from moderation.models import Flag, WatchedWord
from portal.pagecache import cache_anonymous_page
from portal.spreadsheets import SafeCsvWriter

GUIDE_PATH = Path(settings.BASE_DIR) / "docs" / "moderators-guide.md"

LOG_PAGE_SIZE = 50


moderator_required = authority.moderator_required(refusal="The moderation pages are for moderators.")


def _answer(request, *, ok: bool, message: str, item: str = ""):
    """JSON for the queue's script, a redirect with a message without it."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"ok": ok, "message": message, "item": item}, status=200 if ok else 400)
    (messages.success if ok else messages.error)(request, message)
    return redirect("moderation:queue")


@moderator_required
@require_safe
def queue(request):
    return render(request, "moderation/queue.html", {"items": selectors.review_queue(), "form": DecisionForm()})


@moderator_required
@require_POST
def decide_post(request, post_id):
    post = get_object_or_404(Post.objects.select_related("author", "thread"), pk=post_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        first_error = next(iter(form.errors.values()))[0]
        return _answer(request, ok=False, message=first_error, item=f"post-{post.pk}")
    decision, reason, moderator = form.cleaned_data["decision"], form.cleaned_data["reason"], request.user
    try:
        if decision == PostDecision.APPROVE:
            services.approve(moderator=moderator, post=post, reason=reason)
            message = "Approved: the post is visible."
        elif decision == PostDecision.HIDE:
            services.hide(moderator=moderator, post=post, reason=reason)
            message = "Hidden; the author has been told why."
        elif decision == PostDecision.DELETE:
            services.delete(moderator=moderator, post=post, reason=reason)
            message = "Deleted."
        elif decision == PostDecision.WARN:
            services.warn(moderator=moderator, member=post.author, reason=reason, post=post)
            message = f"{post.author.display_name} has been warned."
        elif decision == PostDecision.SUSPEND:
            days = form.cleaned_data["days"]
            services.suspend(moderator=moderator, member=post.author, days=days, reason=reason, post=post)
            message = f"{post.author.display_name} is suspended for {days} days."
        elif decision == PostDecision.BAN:
            count = services.ban_and_delete_posts(moderator=moderator, member=post.author, reason=reason)
            message = f"{post.author.display_name} is banned and their {count} posts are deleted."
        else:  # the form allows no other: never fall through to a ban
            return _answer(request, ok=False, message="Unknown decision.", item=f"post-{post.pk}")
    except NotAllowed as refusal:
        return _answer(request, ok=False, message=str(refusal), item=f"post-{post.pk}")
    return _answer(request, ok=True, message=message, item=f"post-{post.pk}")


@moderator_required
@require_POST
def decide_report(request, report_id):
    report = get_object_or_404(ExposureReport, pk=report_id)
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, ok=False, message="Choose approve or reject.", item=f"report-{report.pk}")
    try:
        if form.cleaned_data["decision"] == ReportDecision.APPROVE:
            alert_services.approve_report(report=report, moderator=request.user)
            message = "Approved: the alert is on its way to the school's subscribers."
        else:
            alert_services.reject_report(report=report, moderator=request.user, reason=form.cleaned_data["reason"])
            message = "Rejected: no alert was sent."
    except (PermissionDenied, alert_services.InvalidReportState) as refusal:
        return _answer(request, ok=False, message=str(refusal), item=f"report-{report.pk}")
    return _answer(request, ok=True, message=message, item=f"report-{report.pk}")


@moderator_required
@require_POST
def decide_contact(request, contact_id):
    """Verify a school contact (their reports then publish at once) or refuse the request."""
    contact = get_object_or_404(SchoolContact, pk=contact_id)
    form = ContactDecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, ok=False, message="Choose verify or refuse.", item=f"contact-{contact.pk}")
    if form.cleaned_data["decision"] == ContactDecision.VERIFY:
        alert_services.verify_contact(contact=contact, moderator=request.user)
        message = f"Verified: their reports for {contact.school.name} now publish at once. They are told by email."
    else:
        alert_services.revoke_contact(contact=contact, moderator=request.user, reason=form.cleaned_data["reason"])
        message = "Refused: their reports keep waiting for review. They are told by email."
    return _answer(request, ok=True, message=message, item=f"contact-{contact.pk}")


@moderator_required
@require_safe
def log(request):
    form = LogFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.audit_log(**filters), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "moderation/log.html", {"form": form, "page_obj": page, "query_string": query})


@moderator_required
@require_safe
def log_csv(request):
    form = LogFilterForm(request.GET)
    entries = selectors.audit_log(**(form.cleaned_data if form.is_valid() else {}))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="moderation-log.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(["when (UTC)", "moderator", "action", "target", "member", "reason"])
    for entry in entries.iterator(chunk_size=500):
        writer.writerow([
            entry.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor.display_name if entry.actor else "system",
            entry.get_action_display(),
            entry.target_description,
            entry.member.display_name if entry.member else "",
            entry.reason,
        ])  # fmt: skip
    return response


@moderator_required
def watched_words(request):
    form = WatchedWordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        word = services.add_watched_word(moderator=request.user, **form.cleaned_data)
        if word.kind == WatchedWord.Kind.CRISIS:
            messages.success(request, f"Posts containing “{word.phrase}” now show help and tell the moderators.")
        else:
            messages.success(request, f"Posts containing “{word.phrase}” now wait for a moderator.")
        return redirect("moderation:watched_words")
    return render(request, "moderation/watched_words.html", {"form": form, "words": WatchedWord.objects.all()})


@moderator_required
@require_POST
def remove_watched_word(request, word_id):
    word = get_object_or_404(WatchedWord, pk=word_id)
    services.remove_watched_word(moderator=request.user, word=word)
    messages.success(request, f"“{word.phrase}” is no longer watched.")
    return redirect("moderation:watched_words")


@login_required
def flag(request, post_id):
    """Flag a post (members). Works without JS: a page with the form."""
    post = get_object_or_404(Post.objects.select_related("thread__forum"), pk=post_id)
    if not community_access.can_flag(request.user, post):
        raise Http404("No such post")  # a post the member may not see answers like a missing one
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(
                flagger=request.user, post=post, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Thank you. The moderators will look at this post.")
            return redirect(post.get_absolute_url())
    return render(request, "moderation/flag.html", {"form": form, "post": post})


@moderator_required
def thread_tools(request, thread_id):
    """Lock, pin, move, rename or split a thread; each change becomes an event line in the thread."""
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=thread_id)
    form = ThreadToolForm(request.POST if request.method == "POST" else None, thread=thread)
    if request.method == "POST" and form.is_valid():
        data, moderator = form.cleaned_data, request.user
        tool, reason = data["tool"], data["reason"]
        if tool in (ThreadTool.LOCK, ThreadTool.UNLOCK):
            locked = tool == ThreadTool.LOCK
            community_services.lock_thread(moderator=moderator, thread=thread, locked=locked, reason=reason)
        elif tool in (ThreadTool.PIN, ThreadTool.UNPIN):
            community_services.pin_thread(moderator=moderator, thread=thread, pinned=tool == ThreadTool.PIN)
        elif tool == ThreadTool.MOVE:
            community_services.move_thread(moderator=moderator, thread=thread, forum=data["forum"], reason=reason)
        elif tool == ThreadTool.RENAME:
            community_services.rename_thread(moderator=moderator, thread=thread, title=data["title"], reason=reason)
        else:  # ThreadTool.SPLIT, the last tool the form allows
            thread = community_services.split_thread(
                moderator=moderator, thread=thread, posts=list(data["posts"]), title=data["title"], reason=reason
            )
        messages.success(request, "Done. The change is shown in the thread.")
        return redirect(thread.get_absolute_url())
    return render(request, "moderation/thread_tools.html", {"thread": thread, "form": form})


@moderator_required
@require_safe
def guide(request):
    """The moderators' guide (docs/moderators-guide.md): crisis, misinformation, identifying content."""
    guide_body = render_article_body(GUIDE_PATH.read_text())
    return render(request, "moderation/guide.html", {"guide_html": guide_body.html, "toc": guide_body.toc})


@require_safe
@cache_anonymous_page
def crisis_phrases(request):
    """The crisis phrases, for the compose pages' script that shows help while someone types."""
    return JsonResponse({"phrases": policy.crisis_phrases()})


@require_safe
@cache_anonymous_page
def community_rules(request):
    """The community rules. The flag reasons listed are the flag form's own, so they never differ."""
    context = {"flag_reasons": Flag.Reason.choices, "crisis_reason": Flag.Reason.CRISIS.label}
    return render(request, "pages/community_rules.html", context)
