"""The moderators' member pages: find a member by pseudonym, read their record, warn, suspend,
lift a suspension or ban. Every write is a `moderation.services` call, which checks the powers again."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import authority
from community.permissions import NotAllowed
from moderation import access, selectors, services
from moderation.forms import BanForm, LiftForm, MemberSearchForm, SuspendForm, WarnForm

moderator_required = authority.moderator_required(refusal="The moderation pages are for moderators.")

ACTION_FORMS = {
    "warn_form": (WarnForm, "warn"),
    "suspend_form": (SuspendForm, "suspend"),
    "lift_form": (LiftForm, "lift"),
}


def _member_or_404(member_id: int):
    member = selectors.member_with_counts(member_id)
    if member is None:
        raise Http404("No such member")
    return member


@moderator_required
@require_safe
def members(request):
    """Find a member by pseudonym; without a search, the members suspended or banned now."""
    form = MemberSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = list(selectors.find_members(query))
    return render(
        request,
        "moderation/members.html",
        {"form": form, "query": query, "found": found, "limit": selectors.MEMBERS_FOUND},
    )


def _member_page(request, member, **bound_forms):
    """The member page; a form that failed comes back bound, with its input and errors."""
    forms = {name: form_class(prefix=prefix) for name, (form_class, prefix) in ACTION_FORMS.items()}
    context = {
        "record": selectors.member_record(member),
        "member": member,
        "refusal": access.refusal_to_act_on(request.user, member),
        "tried": bool(bound_forms),  # a refused form still shows, with what was typed
        **forms,
        **bound_forms,
    }
    return render(request, "moderation/member.html", context)


@moderator_required
@require_safe
def member(request, member_id):
    return _member_page(request, _member_or_404(member_id))


def _act(request, member_id, form_name, decide):
    """Bind the action's form; if it is valid, `decide(member, data)` calls the service and returns
    the message. A refusal or an invalid form shows the page again with what was typed."""
    member = _member_or_404(member_id)
    form_class, prefix = ACTION_FORMS[form_name]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            message = decide(member, form.cleaned_data)
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, message)
            return redirect("moderation:member", member_id=member.pk)
    return _member_page(request, member, **{form_name: form})


@moderator_required
@require_POST
def warn_member(request, member_id):
    def decide(member, data):
        services.warn(moderator=request.user, member=member, reason=data["reason"])
        return f"{member.display_name} has been warned by email."

    return _act(request, member_id, "warn_form", decide)


@moderator_required
@require_POST
def suspend_member(request, member_id):
    def decide(member, data):
        services.suspend(moderator=request.user, member=member, days=data["days"], reason=data["reason"])
        days = ngettext("%(days)d day", "%(days)d days", data["days"]) % {"days": data["days"]}
        return f"{member.display_name} is suspended for {days} and has been told by email."

    return _act(request, member_id, "suspend_form", decide)


@moderator_required
@require_POST
def lift_suspension(request, member_id):
    def decide(member, data):
        services.lift_suspension(moderator=request.user, member=member, reason=data["reason"])
        return f"{member.display_name} can post again and has been told by email."

    return _act(request, member_id, "lift_form", decide)


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def ban_member(request, member_id):
    """The ban asks first, on a page of its own: every post of the member goes, for good."""
    member = _member_or_404(member_id)
    form = BanForm(request.POST if request.method == "POST" else None)
    refusal = access.refusal_to_act_on(request.user, member)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = services.ban_and_delete_posts(
                moderator=request.user, member=member, reason=form.cleaned_data["reason"]
            )
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            posts = ngettext("%(n)d post is", "%(n)d posts are", deleted) % {"n": deleted}
            messages.success(request, f"{member.display_name} is banned and their {posts} deleted.")
            return redirect("moderation:member", member_id=member.pk)
    return render(request, "moderation/member_ban.html", {"member": member, "form": form, "refusal": refusal})
