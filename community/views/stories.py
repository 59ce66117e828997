"""Experience stories: the list, a new story, its author's update, the aggregated outcomes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from community import access, forms, outcomes, services
from community.models import Story
from community.permissions import NotAllowed, can_post
from community.views import compose
from portal.hooks import app_hooks
from portal.pagecache import cache_anonymous_page

STORIES_PER_PAGE = 20


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
        return compose.login_first(request, compose_url)
    if request.method != "POST":
        prefilled = forms.story_initial(request.GET)
        form = forms.StoryForm(initial=compose.stashed_draft(request, compose_url) or prefilled)
        return render(request, "community/story_form.html", {"form": form, **_prefill(request, prefilled)})

    def create(data):
        figures = {k: v for k, v in data.items() if k not in ("title", "narrative", "post_anyway")}
        story = services.create_story(author=request.user, title=data["title"], narrative=data["narrative"], **figures)
        compose.posted(request, "Thank you for sharing your story.", story.post)
        return redirect(story.post.thread)

    return compose.submit(request, forms.StoryForm(request.POST), "community/story_form.html", {}, create)


def _prefill(request, prefilled: dict) -> dict:
    """Ways other apps offer to fill in the figures (portal.hooks `story_prefill.offer`), and whether
    the figures shown came from one (the member is asked to check them)."""
    offers = [offer for offer in (hook(request.user) for hook in app_hooks("story_prefill", "offer")) if offer]
    return {"prefill_offers": offers, "prefilled": bool(prefilled)}


def update_story(request, pk):
    compose_url = reverse("community:update_story", args=[pk])
    if not request.user.is_authenticated:
        return compose.login_first(request, compose_url)  # an expired session keeps the figures sent
    story = get_object_or_404(Story.objects.select_related("post__thread"), pk=pk, post__author=request.user)
    form = forms.StoryUpdateForm(
        request.POST if request.method == "POST" else None,
        initial=compose.stashed_draft(request, compose_url)
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
