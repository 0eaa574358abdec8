from django.contrib import admin

from .models import LanguageTerm


@admin.register(LanguageTerm)
class LanguageTermAdmin(admin.ModelAdmin):
    """Organizations extend the person-first word list here (or turn a default off)."""

    list_display = ("term", "suggestion", "language", "organization", "is_active")
    list_filter = ("language", "is_active", "organization")
    search_fields = ("term", "suggestion")
