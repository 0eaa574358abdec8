from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncountersConfig(AppConfig):
    name = "peerpath.encounters"
    label = "encounters"
    verbose_name = _("Peer contacts and groups")

    def ready(self) -> None:
        from peerpath.clients.queries import register_sort
        from peerpath.core import imports, slots

        from . import panels
        from .imports import ContactsImporter

        slots.register("my_day", panels.my_day_program, order=5)
        slots.register("my_day", panels.my_day_due, order=10)
        slots.register("my_day", panels.my_day_notes, order=20)
        slots.register("my_day", panels.my_day_review_queue, order=30)
        slots.register("client_record", panels.record_contacts, order=10)
        slots.register("client_record", panels.record_outreach, order=20)
        slots.register("client_record", panels.record_groups, order=30)
        imports.register(ContactsImporter())
        register_sort(panels.engagement_sort())
