from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import Organization, Program, Staff, Team, TeamMembership
from .staff_changes import self_grant_refused


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

    def get_form(self, request: HttpRequest, obj: Staff | None = None, **kwargs):  # type: ignore[no-untyped-def,override]
        form_class = super().get_form(request, obj, **kwargs)
        actor, old_role = request.user, obj.role if obj is not None else None

        class Guarded(form_class):  # type: ignore[misc,valid-type]
            def clean(self) -> dict:  # type: ignore[type-arg]
                data = super().clean()
                if obj is not None and self_grant_refused(
                    actor, Staff(pk=obj.pk, role=data.get("role", obj.role)), old_role
                ):
                    raise forms.ValidationError(
                        "Nobody can make themselves privacy officer: ask another administrator."
                    )
                return data

        return Guarded

    add_fieldsets = (
        (
            None,
            {"fields": ("email", "full_name", "organization", "role", "password1", "password2")},
        ),
    )
