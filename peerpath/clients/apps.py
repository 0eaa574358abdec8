from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "peerpath.clients"
    label = "clients"
    verbose_name = _("People served")

    def ready(self) -> None:
        from peerpath.core import slots

        from .panels import privacy_panel

        slots.register("my_day", privacy_panel, order=5)
