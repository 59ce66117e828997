from allauth.account.decorators import reauthentication_required
from allauth.account.stages import EmailVerificationStage, LoginStageController
from allauth.account.views import EmailVerificationSentView as AllauthEmailVerificationSentView
from allauth.account.views import LogoutView as AllauthLogoutView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.timesince import timeuntil
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.forms import DeleteAccountForm, DisplayNameForm, LanguageForm

# Tells the browser to forget what this site stored in it: the drafts community-draft.js kept.
CLEAR_BROWSER_STORAGE = ("Clear-Site-Data", '"storage"')


@login_required
def account(request):
    # Two forms on the page; the language form says which it is ("form": "language").
    posted = request.POST.get("form", "name") if request.method == "POST" else None
    form = DisplayNameForm(
        request.POST if posted == "name" else None,
        user=request.user,
        initial={"display_name": request.user.display_name},
    )
    language_form = LanguageForm(
        request.POST if posted == "language" else None, initial={"language": request.user.language}
    )
    if posted == "name" and form.is_valid():
        services.change_display_name(user=request.user, display_name=form.cleaned_data["display_name"])
        messages.success(request, gettext("Your display name is now “%(name)s”.") % {"name": request.user.display_name})
        return redirect("accounts:account")
    if posted == "language" and language_form.is_valid():
        services.change_language(user=request.user, language=language_form.cleaned_data["language"])
        # Said in the language just chosen: the next page is in it too.
        with translation.override(request.user.language):
            messages.success(request, gettext("Saved: your account pages and emails are now in English."))
        return redirect("accounts:account")
    return render(request, "account/me.html", {"form": form, "language_form": language_form})


class EmailVerificationSentView(AllauthEmailVerificationSentView):
    """allauth's "check your email" page, naming the address the link went to. Only the person who just
    typed it sees it: the address comes from their own session's pending signup or login."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stage = LoginStageController.enter(self.request, EmailVerificationStage.key)
        login = stage.login if stage else None
        if login is not None:
            context["email"] = login.email or (login.user.email if login.user else None)
        return context


def _zip_download(archive: bytes) -> HttpResponse:
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{services.archive_filename()}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_data(request):
    if request.method != "POST":
        return render(request, "account/export.html")
    try:
        _, archive = services.request_data_export(user=request.user)
    except services.ExportLimitReached as limit:
        message = gettext(
            "You can download your data %(count)d times a day, and you have already. Please try again in %(wait)s."
        ) % {"count": services.EXPORTS_PER_DAY, "wait": timeuntil(limit.retry_at)}
        return render(request, "account/export.html", {"limit_message": message}, status=429)
    if archive is None:
        messages.success(
            request,
            gettext(
                "There is a lot to put together, so we are preparing your data in the background. "
                "We will email you a link to download it; the link works for %(days)d days."
            )
            % {"days": services.EXPORT_LINK_LIFETIME.days},
        )
        return redirect("accounts:account")
    return _zip_download(archive)


@login_required
@require_safe
def export_download(request, token):
    export = services.export_for_link(token=token, user=request.user)
    if export is None:
        raise Http404(
            gettext("This download link has expired or is not yours. Ask for a new copy on your account page.")
        )
    return _zip_download(bytes(export.archive))


@login_required
@reauthentication_required
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user, delete_posts=form.delete_posts)
        logout(request)
        messages.success(request, gettext("Your account has been deleted. Take care of yourself."))
        response = redirect("home")
        response.headers.setdefault(*CLEAR_BROWSER_STORAGE)
        return response
    return render(request, "account/delete.html", {"form": form})


class LogoutView(AllauthLogoutView):
    """allauth's logout, which also clears the drafts this browser kept (a family computer is shared)."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        response.headers.setdefault(*CLEAR_BROWSER_STORAGE)
        return response
