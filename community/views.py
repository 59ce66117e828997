from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from accounts.selectors import moderator_ids
from community import access, drafts, forms, outcomes, selectors, services
from community.models import Follow, Forum, Post, Reaction, Story, Thread
from community.permissions import NotAllowed, can_post, suspension_message
from moderation import policy
from portal.pagecache import cache_anonymous_page

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20
STORIES_PER_PAGE = 20
POSTED_TAG = "draft-posted"
CRISIS_MESSAGE = (
    "Thank you for telling us how hard things are. A moderator will read your post soon, "
    "but moderators are volunteers and cannot always reply quickly."
)
THREAD_GONE = "This thread was deleted or is no longer public, so it takes no more replies."


# --- Helpers: nothing typed is lost ------------------------------------------------------------


def _login_first(request, compose_url: str):
    """An anonymous (or expired) compose: keep what was sent in the session, log in, come back to it.

    A member who is logged in but may not post (suspended) is told until when and why instead,
    with anything they sent shown back.
    """
    if request.user.is_authenticated:
        suspension = policy.active_suspension(request.user)
        message = suspension_message(suspension) if suspension else "Your account cannot post."
        # A suspension ends the member's sessions: what they sent then was kept for after login.
        return _refused_with_text(request, message, stashed=_stashed_draft(request, compose_url))
    if request.method == "POST":
        drafts.stash(request.session, compose_url, request.POST)
    return redirect_to_login(compose_url)


def _refused_with_text(request, message: str, status: int = 403, stashed: dict | None = None):
    """A compose that cannot go through: say why, and show back anything that was sent (now, or
    before a login: `stashed`)."""
    sent = {**(stashed or {}), **request.POST.dict()}
    typed = [value for name, value in sent.items() if name in ("title", "body", "narrative") and value]
    return render(request, "community/cannot_post.html", {"message": message, "typed": typed}, status=status)


def _stashed_draft(request, compose_url: str) -> dict | None:
    """What the member had sent before logging in, as a form's initial data."""
    if not request.session.session_key:
        return None
    return drafts.pop(request.session, compose_url)


def _posted(request, text: str, post: Post | None = None) -> None:
    if post is not None and post.visibility == Post.Visibility.HELD and post.hidden_reason:
        text = f"Thank you. {post.hidden_reason} It will appear once a moderator has looked at it."
    # The tag tells community-draft.js that the draft it kept for this form can go.
    messages.success(request, text, extra_tags=POSTED_TAG)
    if getattr(post, "in_crisis", False):
        # Words of crisis: help first, at once (the page shows the crisis lines under this message).
        messages.warning(request, CRISIS_MESSAGE, extra_tags="crisis")


def _compose(request, form, template: str, context: dict, on_valid):
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


# --- Forums and threads ------------------------------------------------------------------------


@require_safe
@cache_anonymous_page
def index(request):
    forums = Forum.objects.with_activity()
    return render(request, "community/index.html", {"forums": forums})


@require_safe
@cache_anonymous_page
def forum(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    if not forum.readable_by(request.user):
        return redirect_to_login(request.get_full_path())
    threads = access.threads(request.user, Thread.objects.filter(forum=forum)).for_list()
    # Page through ids only, then join authors and last posts for the 25 shown: an OFFSET over the
    # joined rows made page 100 three times slower than page 1. Still one query (a subquery).
    page = Paginator(threads.values_list("pk", flat=True), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    shown = threads.filter(pk__in=page.object_list)
    return render(request, "community/forum.html", {"forum": forum, "page_obj": page, "threads": shown})


def _thread_or_404(request, pk) -> Thread:
    """The thread at `pk` if `request.user` may see it; a thread they may not see answers like a
    missing one (its title must not leak, not even through a redirect to its slug)."""
    thread = get_object_or_404(Thread.objects.select_related("forum"), pk=pk)
    if not access.can_see_thread(request.user, thread):
        raise Http404("No such thread")
    return thread


def _visible_post_or_404(request, post_id, check) -> Post:
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=post_id)
    if not check(request.user, post):
        raise Http404("No such post")
    return post


@require_safe
@cache_anonymous_page
def thread(request, pk, slug):
    thread = _thread_or_404(request, pk)
    if access.needs_login(request.user, thread):
        return redirect_to_login(request.get_full_path())
    if slug != thread.slug:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(f"{thread.get_absolute_url()}{query}", permanent=True)
    posts = access.thread_posts(request.user, thread).for_thread_page()
    page_number = request.GET.get("page")
    if "post" in request.GET:
        page_number = selectors.page_of_post(posts, request.GET["post"], POSTS_PER_PAGE) or page_number
    page = Paginator(posts, POSTS_PER_PAGE).get_page(page_number)
    user = request.user
    allowed = can_post(user)
    posts = access.mark_posts(user, selectors.with_my_reactions(user, list(page.object_list)), may_write=allowed)
    trailing_events = selectors.place_thread_events(
        thread, posts, user=user, first_page=page.number == 1, last_page=not page.has_next()
    )
    suspension = policy.active_suspension(user) if user.is_authenticated and not allowed else None
    context = {
        "thread": thread,
        "forum": thread.forum,
        "page_obj": page,
        "posts": posts,
        "trailing_events": trailing_events,
        "reply_url": reverse("community:reply", args=[thread.pk]),
        "can_post": allowed,
        "cannot_post_because": suspension_message(suspension) if suspension else "",
        "is_moderator": access.is_moderator(user),
        "moderator_ids": moderator_ids({post.author_id for post in posts}),
        "following": user.is_authenticated and Follow.objects.filter(thread=thread, user=user).exists(),
    }
    if allowed and not (thread.is_locked or thread.is_deleted):
        context["form"] = forms.ReplyForm()
    return render(request, "community/thread.html", context)


def new_thread(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    compose_url = reverse("community:new_thread", args=[slug])
    if not can_post(request.user):
        return _login_first(request, compose_url)
    context = {"forum": forum}
    if request.method != "POST":
        form = forms.ThreadForm(initial=_stashed_draft(request, compose_url))
        return render(request, "community/thread_form.html", {**context, "form": form})

    def create(data):
        created = services.create_thread(author=request.user, forum=forum, title=data["title"], body=data["body"])
        _posted(request, "Your thread is posted. You will hear about replies.", created.opening)
        return redirect(created)

    return _compose(request, forms.ThreadForm(request.POST), "community/thread_form.html", context, create)


def reply(request, pk):
    compose_url = reverse("community:reply", args=[pk])
    if not can_post(request.user):
        return _login_first(request, compose_url)
    try:
        thread = _thread_or_404(request, pk)
    except Http404:
        if request.method != "POST":
            raise
        # Deleted or withdrawn while the member was typing: the same answer as a missing thread, text kept.
        return _refused_with_text(request, THREAD_GONE, status=404)
    context = {"thread": thread, "forum": thread.forum}
    if request.method != "POST":
        initial = _stashed_draft(request, compose_url) or {}
        quoted = selectors.quote_text(request.GET.get("quote"), thread=thread, user=request.user)
        if quoted and not initial:
            initial = {"body": quoted}
        return render(request, "community/reply_form.html", {**context, "form": forms.ReplyForm(initial=initial)})

    def create(data):
        post = services.reply(author=request.user, thread=thread, body=data["body"])
        _posted(request, "Your reply is posted.", post)
        return redirect(post.get_absolute_url())

    return _compose(request, forms.ReplyForm(request.POST), "community/reply_form.html", context, create)


def edit_post(request, post_id):
    compose_url = reverse("community:edit_post", args=[post_id])
    if not can_post(request.user):
        return _login_first(request, compose_url)  # an expired session keeps the edited text
    post = _visible_post_or_404(request, post_id, access.can_see_post)
    context = {"post": post, "thread": post.thread, "forum": post.thread.forum}
    if post.visibility == Post.Visibility.DELETED:
        messages.error(request, "This post was deleted and can no longer be edited.")
        return redirect(post.get_absolute_url())
    if not access.can_edit(request.user, post):
        raise Http404("No such post of yours")
    if request.method != "POST":
        form = forms.EditForm(initial=_stashed_draft(request, compose_url) or {"body": post.body})
        return render(request, "community/edit_form.html", {**context, "form": form})

    def save(data):
        services.edit_post(editor=request.user, post=post, body=data["body"])
        _posted(request, "Your changes are saved.", post)
        return redirect(post.get_absolute_url())

    return _compose(request, forms.EditForm(request.POST), "community/edit_form.html", context, save)


@require_safe
def post_history(request, post_id):
    post = _visible_post_or_404(request, post_id, access.can_read_words)
    revisions = post.revisions.all() if access.can_see_history(request.user, post) else None
    return render(request, "community/post_history.html", {"post": post, "thread": post.thread, "revisions": revisions})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_post(request, post_id):
    post = _visible_post_or_404(request, post_id, access.can_delete)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        messages.success(request, "Your post is deleted. A note in the thread says a post was deleted.")
        return redirect(post.get_absolute_url())
    return render(request, "community/delete_confirm.html", {"post": post, "thread": post.thread})


# --- Reactions and following -------------------------------------------------------------------


@login_required
@require_POST
def react(request, post_id):
    post = _visible_post_or_404(request, post_id, access.can_react)
    kind = request.POST.get("kind", "")
    if kind not in Reaction.Kind.values:
        return JsonResponse({"error": "Unknown reaction."}, status=400)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        reacted, count = services.toggle_reaction(user=request.user, post=post, kind=kind)
    except NotAllowed as refusal:
        if wants_json:
            return JsonResponse({"error": str(refusal)}, status=403)
        messages.error(request, str(refusal))
        return redirect(post.get_absolute_url())
    if wants_json:
        return JsonResponse({"reacted": reacted, "count": count, "kind": kind})
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def follow(request, pk):
    thread = _thread_or_404(request, pk)
    if request.POST.get("follow") == "0":
        services.unfollow_thread(user=request.user, thread=thread)
        messages.success(request, "You no longer follow this thread.")
    else:
        services.follow_thread(user=request.user, thread=thread)
        messages.success(request, "You follow this thread: new replies will be in your notifications.")
    return redirect(thread)


@csrf_exempt  # RFC 8058 one-click unfollow from a mail client: the signed token is the credential.
@require_http_methods(["GET", "HEAD", "POST"])
def unfollow_by_link(request, token):
    found = services.read_unfollow_token(token)
    if found is None:
        return render(request, "community/unfollow.html", {"invalid": True}, status=404)
    user, thread = found
    if request.method == "POST":
        services.unfollow_thread(user=user, thread=thread)
        return render(request, "community/unfollow.html", {"thread": thread, "done": True})
    return render(request, "community/unfollow.html", {"thread": thread, "token": token})


# --- Notifications, settings, profiles -------------------------------------------------------


@login_required
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        messages.success(request, "All notifications are marked as read.")
        return redirect("community:notifications")
    page = Paginator(access.notifications(request.user).for_list(), 30).get_page(request.GET.get("page"))
    return render(request, "community/notifications.html", {"page_obj": page, "notifications": page.object_list})


@login_required
def member_settings(request):
    row = services.member_settings(request.user)
    form = forms.SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.set_email_preference(user=request.user, emails=form.cleaned_data["emails"])
        messages.success(request, "Your email setting is saved.")
        return redirect("community:settings")
    return render(request, "community/settings.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@cache_anonymous_page
def member(request, pk):
    profile = get_object_or_404(User.objects.filter(is_active=True), pk=pk)
    post_count = access.readable_posts(request.user).filter(author=profile).count()
    return render(request, "community/member.html", {"member": profile, "post_count": post_count})


# --- Stories and outcomes ----------------------------------------------------------------------


@require_safe
@cache_anonymous_page
def stories(request):
    treatment = request.GET.get("treatment", "")
    found = access.stories(request.user).for_list()
    if treatment in Story.Treatment.values:
        found = found.filter(treatment=treatment)
    page = Paginator(found, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/stories.html",
        {
            "page_obj": page,
            "stories": page.object_list,
            "treatments": Story.Treatment.choices,
            "treatment": treatment,
            "query_string": f"treatment={treatment}" if treatment else "",
        },
    )


def new_story(request):
    compose_url = reverse("community:new_story")
    if not can_post(request.user):
        return _login_first(request, compose_url)
    if request.method != "POST":
        form = forms.StoryForm(initial=_stashed_draft(request, compose_url))
        return render(request, "community/story_form.html", {"form": form})

    def create(data):
        figures = {k: v for k, v in data.items() if k not in ("title", "narrative", "post_anyway")}
        story = services.create_story(author=request.user, title=data["title"], narrative=data["narrative"], **figures)
        _posted(request, "Thank you for sharing your story.", story.post)
        return redirect(story.post.thread)

    return _compose(request, forms.StoryForm(request.POST), "community/story_form.html", {}, create)


def update_story(request, pk):
    compose_url = reverse("community:update_story", args=[pk])
    if not request.user.is_authenticated:
        return _login_first(request, compose_url)  # an expired session keeps the figures sent
    story = get_object_or_404(Story.objects.select_related("post__thread"), pk=pk, post__author=request.user)
    form = forms.StoryUpdateForm(
        request.POST if request.method == "POST" else None,
        initial=_stashed_draft(request, compose_url)
        or {name: getattr(story, name) for name in services.STORY_UPDATE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_story(author=request.user, story=story, **form.cleaned_data)
        except NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your story is updated. Thank you.")
            return redirect(story.post.thread)
    status = 400 if form.errors else 200
    return render(request, "community/story_update.html", {"story": story, "form": form}, status=status)


@require_safe
@cache_anonymous_page
def story_outcomes(request):
    return render(request, "community/outcomes.html", {"outcomes": outcomes.summarize(), **outcomes.CONTEXT})
