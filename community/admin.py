from django.contrib import admin

from community.models import Forum, MemberSettings, Post, Story, Thread


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "members_only"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    """Read-only: locking, pinning, moving and deleting go through the services (and the audit log)."""

    list_display = ["title", "forum", "author", "reply_count", "last_activity_at", "is_pinned", "is_locked"]
    list_filter = ["forum", "is_pinned", "is_locked", "is_deleted"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Thread._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "thread", "author", "created_at", "visibility"]
    list_filter = ["visibility"]
    list_select_related = ["thread", "author"]
    readonly_fields = [f.name for f in Post._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["id", "treatment", "age_band", "severity_before", "severity_6_months", "insurance"]
    list_filter = ["treatment", "insurance"]
    readonly_fields = ["post"]


@admin.register(MemberSettings)
class MemberSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "emails", "unread_count"]
    readonly_fields = ["user", "unread_count"]
