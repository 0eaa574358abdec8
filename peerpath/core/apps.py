from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peerpath.core"
    label = "core"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import imports, staff_changes  # noqa: F401 (staff_changes: audit of access)
        from .middleware import start_session_clocks
        from .staff_import import StaffImporter

        user_logged_in.connect(start_session_clocks, dispatch_uid="peerpath-session-clocks")

        imports.register(StaffImporter())
