from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "peerpath.clients"
    label = "clients"
    verbose_name = _("People served")

    def ready(self) -> None:
        from peerpath.core import imports, slots

        from . import downloads
        from .imports import PeopleImporter
        from .panels import privacy_panel

        slots.register("my_day", privacy_panel, order=5)
        imports.register(PeopleImporter())
        downloads.register_all()
