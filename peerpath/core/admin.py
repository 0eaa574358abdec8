from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditEvent, Organization, Program, Staff, Team, TeamMembership


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "kind"]
    list_filter = ["organization"]


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "organization"]
    list_filter = ["organization"]
    inlines = [MembershipInline]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organization", "role", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["full_name", "email"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "title", "organization", "role", "language")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (
            None,
            {"fields": ("email", "full_name", "organization", "role", "password1", "password2")},
        ),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["created_at", "organization", "actor", "action", "client_id", "object_type"]
    list_filter = ["organization", "action"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
