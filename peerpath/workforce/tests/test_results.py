"""The arithmetic of survey results: ORIC's subscale scores and the rule that hides small
groups, whatever the data."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from peerpath.measures import instruments
from peerpath.workforce import loading, results


def oric() -> instruments.Instrument:
    import json

    resource = json.loads((loading.SHIPPED / "oric-peer.json").read_text(encoding="utf-8"))
    return instruments.parse(resource)


ORIC = oric()
SECTIONS = results.sections_of(ORIC)
LINKS = {s.link_id: [q.link_id for q in s.scored] for s in SECTIONS}


def test_oric_has_its_two_subscales_of_five_and_seven_items() -> None:
    assert {s.link_id: len(s.scored) for s in SECTIONS} == {"commitment": 5, "efficacy": 7}


answer = st.sampled_from(["1", "2", "3", "4", "5"])
person = st.fixed_dictionaries(
    {}, optional={link: answer for links in LINKS.values() for link in links}
)


@settings(max_examples=200, deadline=None)
@given(person)
def test_a_persons_subscale_score_is_the_mean_of_the_items_they_answered(
    answers: dict[str, str],
) -> None:
    for section in SECTIONS:
        given_ = [int(answers[link]) for link in LINKS[section.link_id] if link in answers]
        score = results.person_section_score(section, answers)
        if not given_:
            assert score is None
        else:
            assert score == Decimal(sum(given_)) / len(given_)
            assert Decimal(1) <= score <= Decimal(5)


@settings(max_examples=100, deadline=None)
@given(st.lists(person, min_size=1, max_size=12))
def test_the_agency_score_is_the_mean_of_the_people_who_answered_the_section(
    people: list[dict[str, str]],
) -> None:
    for score in results.summarize(SECTIONS, people):
        section = next(s for s in SECTIONS if s.link_id == score.link_id)
        own = [s for p in people if (s := results.person_section_score(section, p)) is not None]
        assert score.answered == len(own)
        if own:
            expected = sum(own, Decimal(0)) / len(own)
            assert abs(score.mean - expected) <= Decimal("0.005")
            assert score.is_low == (score.mean < 3)
        else:
            assert score.mean is None


@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(st.one_of(st.none(), st.integers(0, 30)), st.integers(0, 40), max_size=12),
    st.integers(3, 10),
)
def test_no_group_below_the_threshold_is_ever_shown_or_left_to_subtract(
    counts: dict[object, int], minimum: int
) -> None:
    groups = results.shown_groups(counts, minimum)
    total = sum(counts.values())
    if total < minimum:
        assert groups == []
        return
    # Every group shown has enough answers, and the groups cover every answer exactly once:
    # nothing is left over that the whole minus the shown groups would reveal.
    assert all(group.count >= minimum for group in groups)
    keys = [key for group in groups for key in group.keys]
    assert len(keys) == len(set(keys))
    assert set(keys) == {key for key, n in counts.items() if n > 0}
    assert sum(group.count for group in groups) == total
    assert sum(group.is_other for group in groups) <= 1
    for group in groups:
        if not group.is_other:
            assert len(group.keys) == 1


def test_small_teams_are_merged_and_the_smallest_joins_them_when_still_too_few() -> None:
    groups = results.shown_groups({"a": 9, "b": 6, "c": 2, "d": 1}, 5)
    # c and d together are 3: b (the smallest shown) joins them, else 17 - 9 - 6 reveals them.
    assert [(g.keys, g.count, g.is_other) for g in groups] == [
        (("a",), 9, False),
        (("c", "d", "b"), 9, True),
    ]
