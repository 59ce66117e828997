from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from alerts import imports, services
from alerts.imports import COLUMNS
from alerts.models import Alert, Delivery, ExposureReport, School, SchoolContact, SchoolImport, Subscription


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text=f"CSV with a header row: {', '.join(COLUMNS)}. At most {imports.MAX_ROWS:,} rows "
        f"and {imports.MAX_BYTES // (1024 * 1024)} MB.",
    )


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "city",
        "region",
        "district",
        "return_rule",
        "allow_classroom_scope",
        "confirmed_cases_only",
    ]
    list_filter = ["return_rule", "allow_classroom_scope", "confirmed_cases_only", "country"]
    search_fields = ["name", "city", "district", "postal_code"]
    prepopulated_fields = {"slug": ["name", "city"]}
    change_list_template = "alerts/admin/school_changelist.html"

    def get_urls(self):
        return [
            path("import-csv/", self.admin_site.admin_view(self.import_csv), name="alerts_school_import"),
            path(
                "import-csv/<int:import_id>/",
                self.admin_site.admin_view(self.import_progress),
                name="alerts_school_import_progress",
            ),
            *super().get_urls(),
        ]

    def _may_import(self, request) -> None:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied

    def _context(self, request, **context) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "Import schools", **context}

    def import_csv(self, request):
        """Upload: the file is refused at once if too large or malformed; its rows are checked in the
        background (a preview), then written only when the admin asks, after a clean check."""
        self._may_import(request)
        form = SchoolImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid() and form.cleaned_data["file"]:
            upload = form.cleaned_data["file"]
            if upload.size > imports.MAX_BYTES:
                form.add_error("file", f"The file is larger than {imports.MAX_BYTES // (1024 * 1024)} MB.")
            else:
                try:
                    text = upload.read().decode("utf-8-sig", errors="replace")
                    job = imports.start_import(user=request.user, text=text, write=False)
                except imports.ImportRefused as refusal:
                    form.add_error("file", str(refusal))
                else:
                    return redirect("admin:alerts_school_import_progress", import_id=job.pk)
        return TemplateResponse(request, "alerts/admin/school_import.html", self._context(request, form=form))

    def import_progress(self, request, import_id):
        """A check's or an import's progress; after a clean check, the button that writes the rows."""
        self._may_import(request)
        job = get_object_or_404(SchoolImport, pk=import_id)
        if request.method == "POST" and job.is_done and not job.write and not job.error_count:
            writing = imports.start_import(user=request.user, text=job.text, write=True)
            return redirect("admin:alerts_school_import_progress", import_id=writing.pk)
        if job.is_done and job.write and not job.error_count:
            self.message_user(request, f"Imported: {job.to_create} created, {job.to_update} updated.", messages.SUCCESS)
            return redirect("admin:alerts_school_changelist")
        context = self._context(request, job=job, form=SchoolImportForm())
        return TemplateResponse(request, "alerts/admin/school_import.html", context)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "school", "role", "delivery", "language", "status", "confirmed_at"]
    list_filter = ["status", "delivery", "language", "role"]
    search_fields = ["email", "school__name"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
    readonly_fields = ["created_at", "confirmed_at", "confirmed_ip", "unsubscribed_at", "suppressed_at"]


@admin.register(SchoolContact)
class SchoolContactAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role_at_school", "status", "requested_at", "verified_by"]
    list_filter = ["status"]
    list_select_related = ["user", "school", "verified_by"]
    raw_id_fields = ["user", "school"]
    readonly_fields = ["status", "verified_at", "verified_by"]
    actions = ["verify", "revoke"]

    @admin.action(description="Verify the selected school contacts")
    def verify(self, request, queryset):
        try:
            for contact in queryset:
                services.verify_contact(contact=contact, moderator=request.user)
        except PermissionDenied as refusal:  # the service decides: moderators with two-factor only
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} contact(s) verified.")

    @admin.action(description="Revoke the selected school contacts")
    def revoke(self, request, queryset):
        try:
            for contact in queryset:
                services.revoke_contact(contact=contact, moderator=request.user)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(request, f"{queryset.count()} contact(s) revoked.")


@admin.register(ExposureReport)
class ExposureReportAdmin(admin.ModelAdmin):
    list_display = ["id", "school", "kind", "scope", "window_start", "window_end", "status", "reporter", "created_at"]
    list_filter = ["status", "kind", "scope", "by_verified_contact"]
    list_select_related = ["school", "reporter"]
    raw_id_fields = ["school", "reporter", "reviewed_by", "alert"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at", "alert", "by_verified_contact", "contacts_notified_at"]
    actions = ["approve", "reject"]

    @admin.action(description="Approve the selected reports (alerts subscribers)")
    def approve(self, request, queryset):
        done = 0
        for report in queryset.filter(status=ExposureReport.Status.PENDING):
            try:
                services.approve_report(report=report, moderator=request.user)
                done += 1
            except PermissionDenied as refusal:  # moderators with two-factor only
                self.message_user(request, str(refusal), messages.ERROR)
                return
            except services.InvalidReportState as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, f"{done} report(s) approved.")

    @admin.action(description="Reject the selected reports")
    def reject(self, request, queryset):
        done = 0
        for report in queryset.filter(status=ExposureReport.Status.PENDING):
            try:
                services.reject_report(report=report, moderator=request.user)
                done += 1
            except PermissionDenied as refusal:  # moderators with two-factor only
                self.message_user(request, str(refusal), messages.ERROR)
                return
            except services.InvalidReportState as error:  # decided meanwhile, e.g. in the queue
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, f"{done} report(s) rejected.")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """The audit of each alert: reporters and approvers are on its reports; counts come from deliveries."""

    list_display = [
        "id",
        "school",
        "scope",
        "kind",
        "iso_week",
        "report_count",
        "audience_size",
        "sent",
        "failed",
        "suppressed",
        "created_at",
        "planned_at",
    ]
    list_select_related = ["school"]
    readonly_fields = [f.name for f in Alert._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).with_delivery_counts()

    @admin.display(ordering="sent_count")
    def sent(self, alert):
        return alert.sent_count

    @admin.display(ordering="failed_count")
    def failed(self, alert):
        return alert.failed_count

    @admin.display(ordering="suppressed_count")
    def suppressed(self, alert):
        return alert.suppressed_count

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "alert", "subscription_id", "status", "attempts", "last_error_code", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["alert__school"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
