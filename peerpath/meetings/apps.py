from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "peerpath.meetings"
    label = "meetings"
    verbose_name = _("Team meetings")

    def ready(self) -> None:
        from peerpath.core import slots

        from . import panels

        slots.register("client_record", panels.record_meetings, order=40)
        slots.register("client_prepare", panels.prepare_meetings, order=40)
