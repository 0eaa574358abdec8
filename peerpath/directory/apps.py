from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "peerpath.directory"
    label = "directory"
    verbose_name = _("Community resources")

    def ready(self) -> None:
        from peerpath.core import slots

        from . import panels

        slots.register("client_record", panels.record_resources, order=60)
        slots.register("my_day", panels.my_day_referrals, order=25)
