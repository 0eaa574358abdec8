"""Demo plans for Riverbend: goals, WRAPs with several versions, WHAM, IMR (and measures)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from peerpath.clients.access import ClientAccess
from peerpath.clients.models import CareTeamMember, Client
from peerpath.core.models import Organization, Staff
from peerpath.encounters.models import Contact
from peerpath.measures import demo as measures_demo

from . import actions
from .models import Goal, GoalStatusChange, ImrModule, WrapVersion

GOALS = [
    (
        "I want my own place with a door that locks",
        "housing",
        "Move into a studio apartment by June, with rent under $700.",
    ),
    (
        "Get back to work, even part time",
        "work",
        "Work 15 hours a week at a job I like within 4 months.",
    ),
    (
        "See my daughter every Sunday",
        "relationships",
        "Visit my daughter each Sunday for the next 8 weeks.",
    ),
    (
        "Stop feeling so tired all the time",
        "health",
        "Sleep 7 hours on 5 nights a week by next month.",
    ),
    (
        "Stay sober and go to meetings",
        "recovery",
        "Go to 3 meetings a week and call my sponsor daily.",
    ),
    ("Finish my GED", "education", "Pass the GED math test by the end of the year."),
    (
        "Make one friend who does not use",
        "community",
        "Join the Tuesday art group and talk to one person each week.",
    ),
    (
        "Stop running out of money before the end of the month",
        "money",
        "Use the budget sheet each payday for 3 months.",
    ),
]
STEPS = [
    "Call the housing office",
    "Fill out the application",
    "Visit two apartments",
    "Update my resume",
    "Practice for the interview",
    "Ask about the bus pass",
    "Buy an alarm clock",
    "Find a Thursday meeting near home",
]
NOTES = [
    "Talked it through today. Feeling hopeful.",
    "Hard week, but kept going with the first step.",
    "Did the step we planned. Proud of it.",
    "Needed a smaller step; we changed the plan together.",
]
WRAP_DRAFTS = [
    {
        "toolbox": "Walks by the river\nMusic with headphones\nCall my sister",
        "daily_when_well": "Calm, I joke around, I keep my room clean.",
        "daily_every_day": "Eat breakfast. Take my medicine. Go outside for 20 minutes.",
        "triggers": "Loud arguments. The anniversary in March. Not sleeping.",
        "triggers_plan": "Leave the room. Call my sister. Do a breathing exercise.",
        "crisis_signs": "I stop eating and do not answer the phone for two days.",
        "crisis_supporters": "My sister Ana, 555-0101, can stay with me.\nMy peer, Maria.",
        "crisis_helps": "Quiet room, soft music, someone sitting with me.",
    },
    {
        "early_signs": "I stay in bed after 11. I skip meals.",
        "early_plan": "Tell my peer. Add one thing from my toolbox each day.",
        "crisis_not_involved": "My ex-partner.",
        "crisis_medicines": "The medicine my doctor gives me now.",
        "crisis_places": "Riverbend crisis center on Main Street.",
        "crisis_does_not_help": "Being told to calm down. Bright lights.",
    },
    {
        "breaking_signs": "I hear things others do not. I cannot sleep at all.",
        "breaking_plan": "Call my doctor the same day. Ask Ana to come over.",
        "crisis_plan_ends": "I sleep through the night for 3 nights and eat meals again.",
        "post_crisis_well": "I want to see friends again and cook for myself.",
        "post_crisis_plan": "Go back to work slowly. Meet my peer each week.",
    },
]
WHAM_GOALS = [
    ("sleep", "I want to wake up rested most days."),
    ("activity", "Walk more so I feel stronger."),
    ("eating", "Cook dinner at home more often."),
    ("stress", "Feel less on edge at work."),
    ("support", "Have people to call when things are hard."),
    ("meaning", "Do something each week that matters to me."),
]
WHAM_STEPS = [
    ("Walk around the block", "15 minutes", "After lunch", "3 days this week"),
    ("Turn off my phone", "1 hour before bed", "At 10 pm", "5 nights"),
    ("Cook a simple meal", "1 meal", "Sunday and Wednesday", "2 times"),
    ("Do the breathing exercise", "5 minutes", "Before my shift", "Every work day"),
]


def _access(client: Client) -> ClientAccess:
    return ClientAccess(client=client, can_write=True, basis="care_team")


def load(*, org: Organization, today: date) -> None:
    measures_demo.load(org=org, today=today)
    rng = random.Random(4402)  # noqa: S311 (demo data)
    peers = {
        m.client_id: m.staff
        for m in CareTeamMember.objects.filter(organization=org, is_primary=True).select_related(
            "staff"
        )
    }
    clients = list(
        Client.objects.filter(organization=org, staff_account__isnull=True).order_by("pk")
    )
    contacts: dict[int, list[Contact]] = {}
    for contact in Contact.objects.current().filter(organization=org).order_by("-occurred_at"):
        contacts.setdefault(contact.client_id, []).append(contact)
    for index, client in enumerate(clients):
        actor = peers.get(client.pk)
        access = _access(client)
        for g in range(1 + index % 3):
            words, area, smart = GOALS[(index + g) % len(GOALS)]
            goal = actions.goal_create(
                actor=actor,
                access=access,
                own_words=words,
                life_area=area,
                smart_restatement=smart if (index + g) % 2 == 0 else "",
            )
            for s in range(2):
                step = actions.goal_step_add(
                    actor=actor,
                    access=access,
                    goal=goal,
                    text=STEPS[(index + g + s) % len(STEPS)],
                    due_on=today + timedelta(days=rng.randint(-10, 30)),
                )
                if s == 0 and rng.random() < 0.6:
                    actions.goal_step_done(
                        actor=actor,
                        access=access,
                        step=step,
                        done_on=today - timedelta(days=rng.randint(1, 20)),
                    )
            if actor is not None:
                for n in range(rng.randint(1, 3)):
                    # Progress written after a contact links to it.
                    theirs = contacts.get(client.pk, [])
                    linked: Contact | None = theirs[n] if n < len(theirs) else None
                    actions.goal_note_add(
                        actor=actor,
                        access=access,
                        goal=goal,
                        text=rng.choice(NOTES),
                        written_on=(
                            timezone.localdate(linked.occurred_at)
                            if linked
                            else today - timedelta(days=7 * n + rng.randint(0, 6))
                        ),
                        contact=linked,
                    )
            if index % 5 == 0 and g == 0 and actor is not None:
                actions.goal_update(
                    actor=actor,
                    access=access,
                    goal=goal,
                    expected_version=goal.version,
                    changes={"status": Goal.Status.ACHIEVED},
                )
        if index % 4 in (0, 1):
            _wrap(client, access, actor, index, today)
        if index % 3 == 0:
            _wham(client, access, actor, index, today, rng)
        if index % 4 == 1:
            _imr(client, access, actor, index, today, rng)
    # Spread the histories over past months instead of all "now".
    GoalStatusChange.objects.filter(organization=org).update(
        changed_at=timezone.now() - timedelta(days=20)
    )


def _wrap(
    client: Client, access: ClientAccess, actor: Staff | None, index: int, today: date
) -> None:
    content: dict[str, str] = {}
    versions = 2 + index % 2
    notes = ["First draft together", "Added warning signs and care wishes", "Finished all parts"]
    for number in range(versions):
        content.update(WRAP_DRAFTS[number])
        version = actions.wrap_save(
            actor=actor,
            access=access,
            based_on=number,
            content=dict(content),
            note=notes[number],
        )
        WrapVersion.objects.filter(pk=version.pk).update(
            saved_at=timezone.now() - timedelta(days=30 * (versions - number))
        )


def _wham(
    client: Client,
    access: ClientAccess,
    actor: Staff | None,
    index: int,
    today: date,
    rng: random.Random,
) -> None:
    factor, words = WHAM_GOALS[index % len(WHAM_GOALS)]
    plan = actions.wham_plan_create(
        actor=actor,
        access=access,
        factor=factor,
        goal=words,
        started_on=today - timedelta(days=56),
    )
    for week in range(8, 0, -1):
        what, how_much, when, how_often = WHAM_STEPS[(index + week) % len(WHAM_STEPS)]
        monday = today - timedelta(days=7 * week + today.weekday())
        actions.wham_action_plan_add(
            actor=actor,
            access=access,
            plan=plan,
            week_of=monday,
            what=what,
            how_much=how_much,
            when=when,
            how_often=how_often,
            confidence=rng.randint(7, 10),
        )
        for day in (1, 4):
            actions.wham_log_add(
                actor=actor,
                access=access,
                plan=plan,
                day=monday + timedelta(days=day),
                did_it=rng.random() < 0.7,
                note=rng.choice(["", "Felt good after.", "Rain, did it inside.", "Too tired."]),
            )


def _imr(
    client: Client,
    access: ClientAccess,
    actor: Staff | None,
    index: int,
    today: date,
    rng: random.Random,
) -> None:
    imr = actions.imr_goal_set(
        actor=actor,
        access=access,
        recovery_goal=rng.choice(
            ["Live on my own and keep my job", "Go back to school", "Be a good dad again"]
        ),
        expected_version=None,
        started_on=today - timedelta(days=200),
    )
    finished = 2 + index % 6
    for module in list(ImrModule)[: finished + 1]:
        for session in range(2):
            held = today - timedelta(days=200 - 14 * int(module.value) - 7 * session)
            actions.imr_session_add(
                actor=actor,
                access=access,
                imr=imr,
                module=int(module.value),
                held_on=min(held, today),
                note="Worked through the handout together.",
                completed=session == 1 and int(module.value) <= finished,
            )
