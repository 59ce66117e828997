import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import services
from accounts.forms import DeleteAccountForm, DisplayNameForm


@login_required
def account(request):
    form = DisplayNameForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"display_name": request.user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        services.change_display_name(user=request.user, display_name=form.cleaned_data["display_name"])
        messages.success(request, f"Your display name is now “{request.user.display_name}”.")
        return redirect("accounts:account")
    return render(request, "account/me.html", {"form": form})


@login_required
@require_safe
def export_data(request):
    data = services.export_member_data(user=request.user)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    filename = f"pandas-parent-network-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@reauthentication_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, "Your account has been deleted. Take care of yourself.")
        return redirect("home")
    return render(request, "account/delete.html", {"form": form})
