"""The moderators' view of the email suppression list: why and when addresses stopped being mailed
(never the addresses: the list keeps keyed hashes), and lifting one on its owner's request."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import authority
from moderation import selectors, services
from moderation.forms import LiftSuppressionForm

moderator_required = authority.moderator_required(refusal="The moderation pages are for moderators.")


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def suppressions(request):
    form = LiftSuppressionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        lifted = services.lift_suppression(moderator=request.user, **form.cleaned_data)
        if lifted is None:
            form.add_error("email", "This address is not on the suppression list: it is mailed already.")
        else:
            messages.success(request, "The address is mailed again. It has to subscribe or follow again itself.")
            return redirect("moderation:suppressions")
    return render(
        request,
        "moderation/suppressions.html",
        {"form": form, "recent": selectors.recent_suppressions(), "counts": selectors.suppression_counts()},
    )
