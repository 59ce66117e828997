"""A post: editing it, deleting it, its history, reactions to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community import access, forms, services
from community.models import Post, Reaction
from community.permissions import NotAllowed, can_post
from community.views import compose, lookups


def edit_post(request, post_id):
    compose_url = reverse("community:edit_post", args=[post_id])
    if not can_post(request.user):
        return compose.login_first(request, compose_url)  # an expired session keeps the edited text
    post = lookups.visible_post_or_404(request, post_id, access.can_see_post)
    context = {"post": post, "thread": post.thread, "forum": post.thread.forum}
    if post.visibility == Post.Visibility.DELETED:
        messages.error(request, "This post was deleted and can no longer be edited.")
        return redirect(post.get_absolute_url())
    if not access.can_edit(request.user, post):
        raise Http404("No such post of yours")
    if request.method != "POST":
        form = forms.EditForm(initial=compose.stashed_draft(request, compose_url) or {"body": post.body})
        return render(request, "community/edit_form.html", {**context, "form": form})

    def save(data):
        services.edit_post(editor=request.user, post=post, body=data["body"])
        compose.posted(request, "Your changes are saved.", post)
        return redirect(post.get_absolute_url())

    return compose.submit(request, forms.EditForm(request.POST), "community/edit_form.html", context, save)


@require_safe
def post_history(request, post_id):
    post = lookups.visible_post_or_404(request, post_id, access.can_read_words)
    revisions = post.revisions.all() if access.can_see_history(request.user, post) else None
    return render(request, "community/post_history.html", {"post": post, "thread": post.thread, "revisions": revisions})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_post(request, post_id):
    post = lookups.visible_post_or_404(request, post_id, access.can_delete)
    if request.method == "POST":
        services.delete_post(actor=request.user, post=post)
        messages.success(request, "Your post is deleted. A note in the thread says a post was deleted.")
        return redirect(post.get_absolute_url())
    return render(request, "community/delete_confirm.html", {"post": post, "thread": post.thread})


@login_required
@require_POST
def react(request, post_id):
    post = lookups.visible_post_or_404(request, post_id, access.can_react)
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
