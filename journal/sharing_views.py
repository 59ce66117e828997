"""Sharing pages: the owner's sharing page, accepting an invitation, and the clinician's read-only link;
and the member's reminder setting.

The clinician's page needs no account: the signed link is the credential. It shows the report only,
is never cached or indexed, sends no Referer, and records each opening for the parent to see.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from journal import access, pdf, reminders, report, sharing
from journal.forms import InviteForm, ReminderForm, ShareLinkForm
from journal.models import Caregiver, CaregiverInvite, ReminderSetting, ShareLink, ShareView
from journal.views import journal_page, show_errors
from portal.emails import absolute_url
from portal.limits import LimitReached


def _sharing_page(request, child, *, invite_form=None, link_form=None, status=200):
    links = list(
        ShareLink.objects.filter(child=child)
        .prefetch_related(Prefetch("views", queryset=ShareView.objects.order_by("-viewed_at")))
        .order_by("-created_at")
    )
    context = {
        "child": child,
        "caregivers": Caregiver.objects.filter(child=child).select_related("user"),
        "invites": [invite for invite in CaregiverInvite.objects.filter(child=child) if invite.is_open],
        "links": [
            {"link": link, "url": absolute_url(reverse("journal:shared", args=[sharing.share_token(link)]))}
            for link in links
        ],
        "invite_form": invite_form or InviteForm(),
        "link_form": link_form or ShareLinkForm(),
    }
    return render(request, "journal/sharing.html", context, status=status)


@journal_page
@require_safe
def sharing_page(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    return _sharing_page(request, child)


@journal_page
@require_POST
def invite_caregiver(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            sharing.invite_caregiver(user=request.user, child=child, **form.cleaned_data)
        except (LimitReached, ValidationError) as refusal:
            show_errors(form, refusal)
        else:
            messages.success(request, "Invitation sent. It works for 14 days.")
            return redirect("journal:sharing", child_id=child.pk)
    return _sharing_page(request, child, invite_form=form)


@journal_page
@require_POST
def revoke_invite(request, child_id, invite_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    sharing.revoke_invite(user=request.user, child=child, invite_id=invite_id)
    messages.success(request, "Invitation withdrawn.")
    return redirect("journal:sharing", child_id=child.pk)


@journal_page
@require_POST
def remove_caregiver(request, child_id, caregiver_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    sharing.remove_caregiver(user=request.user, child=child, caregiver_id=caregiver_id)
    messages.success(request, "They no longer see this child's journal.")
    return redirect("journal:sharing", child_id=child.pk)


@journal_page
@require_POST
def leave(request, child_id):
    child, _ = access.child_for(request.user, child_id)
    try:
        sharing.leave_child(user=request.user, child=child)
    except ValidationError:
        messages.error(request, "As the owner you cannot leave the journal.")
        return redirect("journal:child", child_id=child.pk)
    messages.success(request, "You no longer see that child's journal.")
    return redirect("journal:home")


@journal_page
@require_POST
def create_share_link(request, child_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            sharing.create_share_link(user=request.user, child=child, **form.cleaned_data)
        except LimitReached as refusal:
            show_errors(form, refusal)
        else:
            messages.success(request, "Link made: copy it below and give it to the clinician.")
            return redirect("journal:sharing", child_id=child.pk)
    return _sharing_page(request, child, link_form=form)


@journal_page
@require_POST
def revoke_share_link(request, child_id, link_id):
    child, _ = access.child_for(request.user, child_id, access.OWN)
    sharing.revoke_share_link(user=request.user, child=child, link_id=link_id)
    messages.success(request, "Link revoked: it no longer opens.")
    return redirect("journal:sharing", child_id=child.pk)


@journal_page
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invite(request, token):
    invite = sharing.invite_for_token(token)
    if invite is None:
        return render(request, "journal/invite_invalid.html", status=404)
    if request.method == "POST":
        try:
            sharing.accept_invite(user=request.user, invite=invite)
        except sharing.InvalidInvite as refusal:
            messages.error(request, str(refusal))
            return redirect("journal:home")
        messages.success(request, "You now share this child's journal.")
        return redirect("journal:child", child_id=invite.child_id)
    return render(request, "journal/invite.html", {"invite": invite, "token": token})


def _shared(view):
    """The clinician's pages: a live link or 404; never stored, never indexed, no Referer sent on."""

    @wraps(view)
    def wrapper(request, token):
        link = sharing.link_for_token(token)
        if link is None:
            raise Http404("This link has expired or was revoked.")
        response = view(request, link, token)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


@require_safe
@_shared
def shared_report(request, link, token):
    if request.method == "GET":
        sharing.record_view(link=link)
    context = {"child": link.child, "report": report.build(link.child), "link": link, "token": token}
    return render(request, "journal/shared.html", context)


@require_safe
@_shared
def shared_report_pdf(request, link, token):
    built = report.build(link.child)
    response = HttpResponse(pdf.report_pdf({"child": link.child, "report": built}), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="journal-report-{built.generated:%Y-%m-%d}.pdf"'
    return response


@journal_page
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    setting = ReminderSetting.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            reminders.save_setting(user=request.user, **form.cleaned_data)
            messages.success(request, "Reminder saved." if form.cleaned_data["enabled"] else "Reminders are off.")
            return redirect("journal:home")
    elif setting:
        fields = ("enabled", "hour", "time_zone", "language")
        form = ReminderForm(initial={name: getattr(setting, name) for name in fields})
    else:
        form = ReminderForm(initial={"enabled": True, "hour": 20, "time_zone": "UTC", "language": "en"})
    return render(request, "journal/reminders.html", {"form": form})
