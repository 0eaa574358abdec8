from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "peerpath.measures"
    label = "measures"
    verbose_name = _("Outcome measures")

    def ready(self) -> None:
        from peerpath.core import slots

        from . import panels

        slots.register("my_day", panels.my_day_safety, order=0)
        slots.register("my_day", panels.my_day_panel, order=30)
        slots.register("client_alerts", panels.record_safety, order=10)
        slots.register("client_record", panels.record_section, order=40)
