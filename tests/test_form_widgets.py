"""Date and time inputs show their value in every language.

A browser's date input only takes ISO values (2026-12-02); a widget left to the active language's
format renders "02/12/2026" in Spanish, which the browser drops, so the field starts empty.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

from django import forms
from django.test import SimpleTestCase
from django.utils import translation

ISO = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime-local": "%Y-%m-%dT%H:%M"}
APPS = ["clients", "core", "encounters", "meetings", "measures", "plans"]


def form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for app in APPS:
        try:
            module = importlib.import_module(f"peerpath.{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


class DateWidgetTests(SimpleTestCase):
    def test_every_date_and_time_input_renders_iso_values(self) -> None:
        checked = 0
        for form_class in form_classes():
            for name, field in form_class.base_fields.items():
                kind = getattr(field.widget, "input_type", "")
                if kind in ISO:
                    checked += 1
                    with self.subTest(form=form_class.__name__, field=name):
                        self.assertEqual(getattr(field.widget, "format", None), ISO[kind])
        self.assertGreater(checked, 10)

    def test_questionnaire_dates_keep_their_value_in_spanish(self) -> None:
        from peerpath.measures import instruments
        from peerpath.measures.forms import response_form

        fixture = (
            Path(__file__).resolve().parent.parent
            / "peerpath/measures/tests/fixtures/lhc-forms/enableWhen-test.R4.json"
        )
        resource = json.loads(fixture.read_text())

        class Row:
            def instrument(self) -> instruments.Instrument:
                return instruments.parse(resource)

        with translation.override("es"):
            form = response_form(Row())  # type: ignore[arg-type]
            html = str(form["authored_on"])
            for field in form.question_fields():
                kind = getattr(field.field.widget, "input_type", "")
                if kind in ISO:
                    self.assertEqual(field.field.widget.format, ISO[kind])  # type: ignore[attr-defined]
        self.assertRegex(html, r'value="\d{4}-\d{2}-\d{2}"')
