from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peerpath.core"
    label = "core"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from . import imports, staff_changes  # noqa: F401 (staff_changes: audit of access)
        from .staff_import import StaffImporter

        imports.register(StaffImporter())
