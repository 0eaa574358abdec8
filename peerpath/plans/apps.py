from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "peerpath.plans"
    label = "plans"
    verbose_name = _("Recovery plans")

    def ready(self) -> None:
        from peerpath.core import slots

        from . import panels

        slots.register("client_record", panels.record_section, order=30)
        slots.register("client_prepare", panels.prepare_goals, order=20)
        slots.register("contact_signed", panels.contact_follow_up, order=10)
