"""Forums and threads: the forum index, a forum's threads, a thread, a new thread, a reply."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from community import access, forms, postmarkup, selectors, services
from community.models import Forum
from community.permissions import can_post, suspension_message
from community.views import compose, lookups
from moderation import policy
from portal.pagecache import cache_anonymous_page

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20
THREAD_GONE = "This thread was deleted or is no longer public, so it takes no more replies."


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
    page, shown = selectors.forum_page(request.user, forum, request.GET.get("page"), THREADS_PER_PAGE)
    return render(request, "community/forum.html", {"forum": forum, "page_obj": page, "threads": shown})


@require_safe
@cache_anonymous_page
def thread(request, pk, slug):
    thread = lookups.thread_or_404(request, pk, with_following=True)
    if access.needs_login(request.user, thread):
        return redirect_to_login(request.get_full_path())
    if slug != thread.slug:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(f"{thread.get_absolute_url()}{query}", permanent=True)
    posts = access.thread_posts(request.user, thread).for_thread_page().with_reactions_of(request.user)
    page_number = request.GET.get("page")
    if "post" in request.GET:
        page_number = selectors.page_of_post(posts, request.GET["post"], POSTS_PER_PAGE) or page_number
    page = Paginator(posts, POSTS_PER_PAGE).get_page(page_number)
    user = request.user
    allowed = can_post(user)
    posts = access.mark_posts(user, list(page.object_list), may_write=allowed)
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
        "following": thread.followed_by_reader,
    }
    if allowed and not (thread.is_locked or thread.is_deleted):
        context["form"] = forms.ReplyForm()
    postmarkup.draw(request, posts, quote_url=context["reply_url"] if "form" in context else None)
    if user.is_authenticated:
        context["csrf_token"] = postmarkup.page_csrf_token(request)  # the {% csrf_token %} tags' too
    return render(request, "community/thread.html", context)


def new_thread(request, slug):
    forum = get_object_or_404(Forum, slug=slug)
    compose_url = reverse("community:new_thread", args=[slug])
    if not can_post(request.user):
        return compose.login_first(request, compose_url)
    context = {"forum": forum}
    if request.method != "POST":
        form = forms.ThreadForm(initial=compose.stashed_draft(request, compose_url))
        return render(request, "community/thread_form.html", {**context, "form": form})

    def create(data):
        created = services.create_thread(author=request.user, forum=forum, title=data["title"], body=data["body"])
        compose.posted(request, "Your thread is posted. You will hear about replies.", created.opening)
        return redirect(created)

    return compose.submit(request, forms.ThreadForm(request.POST), "community/thread_form.html", context, create)


def reply(request, pk):
    compose_url = reverse("community:reply", args=[pk])
    if not can_post(request.user):
        return compose.login_first(request, compose_url)
    try:
        thread = lookups.thread_or_404(request, pk)
    except Http404:
        if request.method != "POST":
            raise
        # Deleted or withdrawn while the member was typing: the same answer as a missing thread, text kept.
        return compose.refused_with_text(request, THREAD_GONE, status=404)
    context = {"thread": thread, "forum": thread.forum}
    if request.method != "POST":
        initial = compose.stashed_draft(request, compose_url) or {}
        quoted = selectors.quote_text(request.GET.get("quote"), thread=thread, user=request.user)
        if quoted and not initial:
            initial = {"body": quoted}
        return render(request, "community/reply_form.html", {**context, "form": forms.ReplyForm(initial=initial)})

    def create(data):
        post = services.reply(author=request.user, thread=thread, body=data["body"])
        compose.posted(request, "Your reply is posted.", post)
        return redirect(post.get_absolute_url())

    return compose.submit(request, forms.ReplyForm(request.POST), "community/reply_form.html", context, create)
