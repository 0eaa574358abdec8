from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "peerpath.workforce"
    label = "workforce"
    verbose_name = _("Peer workforce")

    def ready(self) -> None:
        from peerpath.core import imports, slots

        from . import panels
        from .hiring import LivingWageImporter

        imports.register(LivingWageImporter())

        slots.register("my_day", panels.my_day_surveys, order=3)
        slots.register("my_day", panels.my_day_actions, order=35)
        slots.register("my_day", panels.my_day_interviews, order=36)
        slots.register("my_day", panels.my_day_supervision, order=37)
        slots.register("my_day", panels.my_day_certifications, order=38)
        slots.register("my_day", panels.my_day_cover, order=5)
        slots.register("group_form", panels.group_form)
