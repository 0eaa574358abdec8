"""An agency's own readiness questionnaire, loaded from the shell with the measures' loader."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from peerpath.core.models import AuditEvent
from peerpath.testing import make_organization
from peerpath.workforce import queries
from peerpath.workforce.models import SurveyInstrument

AGREE = [
    {
        "valueCoding": {"system": "urn:agree", "code": str(n), "display": label},
        "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": n}
        ],
    }
    for n, label in ((1, "No"), (2, "Somewhat"), (3, "Yes"))
]


def questionnaire(scored: bool = True) -> dict[str, object]:
    item = {"linkId": "q1", "text": "Our team knows the peer role.", "type": "choice"}
    if scored:
        item["answerOption"] = AGREE
    else:
        item["type"] = "string"
    return {
        "resourceType": "Questionnaire",
        "url": "https://example.org/fhir/Questionnaire/our-survey",
        "version": "1",
        "name": "OurSurvey",
        "title": "Our own readiness survey",
        "status": "active",
        "item": [{"linkId": "roles", "text": "Roles", "type": "group", "item": [item]}],
    }


def test_an_agency_loads_its_own_survey_for_itself_only(db: object, tmp_path: Path) -> None:
    org, other = make_organization("Our Agency"), make_organization("Another")
    path = tmp_path / "our-survey.json"
    path.write_text(json.dumps(questionnaire()))
    out = StringIO()
    call_command("load_surveys", str(path), organization=org.slug, stdout=out)
    assert "Loaded Our own readiness survey" in out.getvalue()
    assert queries.instruments_for(org.pk).filter(name="OurSurvey").exists()
    assert not queries.instruments_for(other.pk).filter(name="OurSurvey").exists()
    assert AuditEvent.objects.filter(action="survey.questionnaire_load").exists()


def test_a_file_without_scored_answers_or_not_json_loads_nothing(
    db: object, tmp_path: Path
) -> None:
    org = make_organization("Our Agency")
    good = tmp_path / "good.json"
    good.write_text(json.dumps(questionnaire()))
    unscored = tmp_path / "unscored.json"
    unscored.write_text(json.dumps(questionnaire(scored=False)))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CommandError) as refused:
        call_command("load_surveys", str(good), str(unscored), str(broken), organization=org.slug)
    assert "unscored.json: no question has scored answers" in str(refused.value)
    assert "broken.json" in str(refused.value)
    assert not SurveyInstrument.objects.filter(organization=org).exists()
