"""A member's own pages: notifications, email settings, following a thread (and the mailed
one-click unfollow link); and a member's public profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from community import access, forms, services, tokens
from community.views import lookups
from portal.pagecache import cache_anonymous_page


@login_required
@require_POST
def follow(request, pk):
    thread = lookups.thread_or_404(request, pk)
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
    found = tokens.read_unfollow_token(token)
    if found is None:
        return render(request, "community/unfollow.html", {"invalid": True}, status=404)
    user, thread = found
    if request.method == "POST":
        services.unfollow_thread(user=user, thread=thread)
        return render(request, "community/unfollow.html", {"thread": thread, "done": True})
    return render(request, "community/unfollow.html", {"thread": thread, "token": token})


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
