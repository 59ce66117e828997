"""What every compose page shares: nothing typed is lost.

An anonymous (or expired) compose is kept in the session through the login (`community.drafts`);
a refusal says why and shows back what was sent; a privacy warning keeps the form as typed.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from community import drafts
from community.models import Post
from community.permissions import NotAllowed, suspension_message
from moderation import policy

POSTED_TAG = "draft-posted"
CRISIS_MESSAGE = (
    "Thank you for telling us how hard things are. A moderator will read your post soon, "
    "but moderators are volunteers and cannot always reply quickly."
)


def login_first(request, compose_url: str):
    """An anonymous (or expired) compose: keep what was sent in the session, log in, come back to it.

    A member who is logged in but may not post (suspended) is told until when and why instead,
    with anything they sent shown back.
    """
    if request.user.is_authenticated:
        suspension = policy.active_suspension(request.user)
        message = suspension_message(suspension) if suspension else "Your account cannot post."
        # A suspension ends the member's sessions: what they sent then was kept for after login.
        return refused_with_text(request, message, stashed=stashed_draft(request, compose_url))
    if request.method == "POST":
        drafts.stash(request.session, compose_url, request.POST)
    return redirect_to_login(compose_url)


def refused_with_text(request, message: str, status: int = 403, stashed: dict | None = None):
    """A compose that cannot go through: say why, and show back anything that was sent (now, or
    before a login: `stashed`)."""
    sent = {**(stashed or {}), **request.POST.dict()}
    typed = [value for name, value in sent.items() if name in ("title", "body", "narrative") and value]
    return render(request, "community/cannot_post.html", {"message": message, "typed": typed}, status=status)


def stashed_draft(request, compose_url: str) -> dict | None:
    """What the member had sent before logging in, as a form's initial data."""
    if not request.session.session_key:
        return None
    return drafts.pop(request.session, compose_url)


def posted(request, text: str, post: Post | None = None) -> None:
    if post is not None and post.visibility == Post.Visibility.HELD and post.hidden_reason:
        text = f"Thank you. {post.hidden_reason} It will appear once a moderator has looked at it."
    # The tag tells community-draft.js that the draft it kept for this form can go.
    messages.success(request, text, extra_tags=POSTED_TAG)
    if getattr(post, "in_crisis", False):
        # Words of crisis: help first, at once (the page shows the crisis lines under this message).
        messages.warning(request, CRISIS_MESSAGE, extra_tags="crisis")


def submit(request, form, template: str, context: dict, on_valid):
    """Shared POST handling of compose forms: validate, warn about identifying details, call the
    service; every refusal comes back with the text kept."""
    warnings = []
    if form.is_valid():
        warnings = form.privacy_warnings()
        if not warnings:
            try:
                return on_valid(form.cleaned_data)
            except NotAllowed as refusal:
                form.add_error(None, str(refusal))
    return render(
        request, template, {**context, "form": form, "privacy_warnings": warnings}, status=200 if warnings else 400
    )
