from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.forms import UswdsFormMixin

from .models import SurveyInstrument

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstrumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import translation

        return obj.instrument().title_in(translation.get_language() or "en")


class WaveForm(UswdsFormMixin, forms.Form):
    instrument = InstrumentChoice(
        label=_("Questionnaire"),
        queryset=SurveyInstrument.objects.none(),
        empty_label=_("Choose a questionnaire"),
    )
    name = forms.CharField(
        label=_("Name of the wave"),
        max_length=120,
        help_text=_("For example: Before peers start, or Six months later."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=_DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=_DATE)

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


class ResultsForm(forms.Form):
    """How to look at a wave's results (a GET form)."""

    by = forms.ChoiceField(
        label=_("Show results for"),
        choices=[
            ("agency", _("The whole agency")),
            ("team", _("Each team")),
            ("role", _("Each role")),
        ],
        required=False,
    )
    compare = forms.TypedChoiceField(
        label=_("Compare with"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, waves: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compare"].choices = [  # type: ignore[attr-defined]
            ("", _("No other wave")),
            *[(w.pk, w.name) for w in waves],
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "usa-select"


class StrategyForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(label=_("Strategy"), max_length=200)
    description = forms.CharField(
        label=_("What it means"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    sections = forms.MultipleChoiceField(
        label=_("Survey sections it answers"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .strategies import SECTIONS

        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = list(SECTIONS.items())  # type: ignore[attr-defined]


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ActionForm(UswdsFormMixin, forms.Form):
    owner = StaffChoice(label=_("Who carries it"), queryset=None, empty_label=_("Choose someone"))
    due_on = forms.DateField(label=_("Due on"), widget=_DATE)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


class ActionUpdateForm(UswdsFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[])
    note = forms.CharField(
        label=_("How it is going"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import ActionItem

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionItem.Status.choices  # type: ignore[attr-defined]


class ChampionForm(UswdsFormMixin, forms.Form):
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, empty_label=_("Choose a team")
    )
    staff = StaffChoice(label=_("Champion"), queryset=None, empty_label=_("Choose someone"))

    def __init__(self, *args: Any, teams: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]


class StrategyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from .strategies import title_of

        return title_of(obj)


class ActivityForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=[], widget=forms.RadioSelect)
    host = forms.CharField(label=_("With which agency or peer providers"), max_length=200)
    planned_on = forms.DateField(label=_("On"), widget=_DATE)
    strategy = StrategyChoice(
        label=_("The strategy it serves"),
        queryset=None,
        required=False,
        empty_label=_("None in particular"),
    )
    section = forms.ChoiceField(label=_("The survey section it serves"), choices=[], required=False)

    def __init__(self, *args: Any, strategies: Any, **kwargs: Any) -> None:
        from .models import LearningActivity
        from .strategies import SECTIONS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = LearningActivity.Kind.choices  # type: ignore[attr-defined]
        self.fields["strategy"].queryset = strategies  # type: ignore[attr-defined]
        self.fields["section"].choices = [  # type: ignore[attr-defined]
            ("", _("None in particular")),
            *SECTIONS.items(),
        ]


class LearnedForm(UswdsFormMixin, forms.Form):
    learned = forms.CharField(
        label=_("What we learned"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class PositionForm(UswdsFormMixin, forms.Form):
    """A peer position's job description. Nothing starts answered."""

    title = forms.CharField(label=_("Job title"), max_length=200)
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("No team yet")
    )
    status = forms.ChoiceField(label=_("Status"), choices=[], widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("About the job"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Plain words, short sentences: the checks below say if it reads above grade 8."
        ),
    )
    duties = forms.MultipleChoiceField(
        label=_("Peer duties"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    other_duties = forms.CharField(
        label=_("Other duties"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lived_experience = forms.TypedChoiceField(
        label=_("Is lived experience of recovery a qualification?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    certification = forms.ChoiceField(
        label=_("Peer certification"), choices=[], widget=forms.RadioSelect
    )
    certification_months = forms.IntegerField(
        label=_("Within how many months"), min_value=1, max_value=36, required=False
    )
    supervisor = StaffChoice(
        label=_("Supervisor"), queryset=None, required=False, empty_label=_("Not named yet")
    )
    supervision = forms.CharField(
        label=_("How the peer is supervised"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who, how often, and whether they understand peer work."),
    )
    experience_counts = forms.MultipleChoiceField(
        label=_("What counts toward the experience asked for"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    paid_years_required = forms.IntegerField(
        label=_("Years of paid work required"),
        min_value=0,
        max_value=20,
        help_text=_(
            "0 when none. A rule on paid years can screen out people whose experience is "
            "lived or volunteer."
        ),
    )
    hours_per_week = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=60)
    pay_min = forms.DecimalField(
        label=_("Pay an hour, from"), min_value=1, max_digits=7, decimal_places=2
    )
    pay_max = forms.DecimalField(
        label=_("Pay an hour, up to"), min_value=1, max_digits=7, decimal_places=2
    )
    county = forms.CharField(label=_("County"), max_length=100)
    household = forms.ChoiceField(
        label=_("Household the pay should support"),
        choices=[],
        help_text=_("Compared with the agency's living-wage table for the county."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, teams: Any, staff: Any, **kwargs: Any) -> None:
        from .hiring import DUTIES, EXPERIENCE
        from .models import LivingWage, Position

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].queryset = teams
        fields["supervisor"].queryset = staff
        fields["status"].choices = Position.Status.choices
        fields["duties"].choices = list(DUTIES.items())
        fields["certification"].choices = Position.Certification.choices
        fields["experience_counts"].choices = list(EXPERIENCE.items())
        fields["household"].choices = [("", _("Choose a household")), *LivingWage.Household.choices]


# Candidates and interviews ---------------------------------------------------------------------

_YEARS = {"min_value": 0, "max_value": 60, "max_digits": 4, "decimal_places": 1}


class CandidateForm(UswdsFormMixin, forms.Form):
    """A candidate for a position. Nothing starts answered; lived experience is only what the
    candidate chose to tell."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applied_on = forms.DateField(label=_("Applied on"), widget=_DATE)
    paid_years = forms.DecimalField(label=_("Years of paid work"), **_YEARS)  # type: ignore[arg-type]
    peer_run_years = forms.DecimalField(
        label=_("Years of work or volunteering in peer-run programs"),
        **_YEARS,  # type: ignore[arg-type]
    )
    volunteer_years = forms.DecimalField(
        label=_("Years of other volunteer work"),
        **_YEARS,  # type: ignore[arg-type]
    )
    lived_experience = forms.ChoiceField(
        label=_("Did the candidate choose to tell of lived experience of recovery?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unsaid", _("They did not say"))],
        widget=forms.RadioSelect,
        help_text=_("Never ask: telling is the candidate's choice."),
    )
    certification = forms.ChoiceField(
        label=_("Peer certification"), choices=[], widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Candidate

        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = Candidate.Certification.choices  # type: ignore[attr-defined]

    def clean_lived_experience(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["lived_experience"])


class MoveForm(UswdsFormMixin, forms.Form):
    """Those who run the agency move a candidate on: to interview, screened out, withdrew."""

    status = forms.ChoiceField(label=_("Next step"), choices=[], widget=forms.RadioSelect)
    screen_reason = forms.ChoiceField(
        label=_("Why screened out"), choices=[], widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, moves: list[tuple[str, Any]], **kwargs: Any) -> None:
        from .models import Candidate

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = moves  # type: ignore[attr-defined]
        if Candidate.Status.SCREENED_OUT in {value for value, _label in moves}:
            self.fields["screen_reason"].choices = Candidate.ScreenReason.choices  # type: ignore[attr-defined]
        else:
            del self.fields["screen_reason"]


class ScoreForm(UswdsFormMixin, forms.Form):
    """One interviewer's scores: a 1-5 choice per criterion, and notes. Nothing starts
    chosen unless the interviewer saved a draft."""

    notes = forms.CharField(
        label=_("Your notes"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.shown} ({_('weight')} {criterion.weight})",
                choices=scale,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                help_text=_("1 is weak, 5 is strong."),
            )
        self.order_fields([*(f"c{c.pk}" for c in criteria), "notes"])

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") or None for c in self.criteria}


class DecisionForm(UswdsFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("hire", _("Offer the job")), ("not_hired", _("Do not offer the job"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PanelForm(UswdsFormMixin, forms.Form):
    """The interviewers, and what they score with its weight (an emptied line is taken out)."""

    members: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Interviewers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two, and at least one of them a peer."),
    )

    ROWS = 8

    def __init__(self, *args: Any, staff: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.full_name} ({s.get_role_display()})"
        )
        self.kept = [c.pk for c in criteria]
        weights = [(str(n), str(n)) for n in range(1, 6)]
        for n in range(self.ROWS):
            existing = criteria[n] if n < len(criteria) else None
            self.fields[f"label_{n}"] = forms.CharField(
                label=_("What is scored (line %(n)s)") % {"n": n + 1},
                max_length=200,
                required=False,
                initial=existing.shown if existing else "",
                widget=forms.TextInput(attrs={"class": "usa-input"}),
            )
            self.fields[f"weight_{n}"] = forms.TypedChoiceField(
                label=_("Weight (line %(n)s)") % {"n": n + 1},
                choices=[("", "—"), *weights],
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(existing.weight) if existing else "",
                widget=forms.Select(attrs={"class": "usa-select"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(self.ROWS):
            if (data.get(f"label_{n}") or "").strip() and not data.get(f"weight_{n}"):
                self.add_error(f"weight_{n}", _("Give it a weight from 1 to 5."))
        return data

    def criteria(self) -> list[tuple[int | None, str, int]]:
        rows: list[tuple[int | None, str, int]] = []
        for n in range(self.ROWS):
            label = (self.cleaned_data.get(f"label_{n}") or "").strip()
            if not label:
                continue  # an emptied line is taken out
            pk = self.kept[n] if n < len(self.kept) else None
            rows.append((pk, label, int(self.cleaned_data[f"weight_{n}"])))
        return rows


class QuestionForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Question"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ask about the work. Questions about health or treatment are refused."),
    )


# Supporting peers at work ----------------------------------------------------------------------


class PeerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class SessionForm(UswdsFormMixin, forms.Form):
    """A supervision session. Nothing starts answered, unless the supervisor came from a link
    for one peer (that peer) or about one topic (that topic)."""

    kind = forms.ChoiceField(label=_("Kind of session"), choices=[], widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=5, max_value=480)
    peers = PeerChoices(
        label=_("Who was there"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.MultipleChoiceField(
        label=_("What you talked about"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    discussed = forms.MultipleChoiceField(
        label=_("Topics the peers asked for that you talked over"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Private notes"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you and the peers who were there can read them. They never go in anyone's record."
        ),
    )

    def __init__(self, *args: Any, peers: Any, topics: list[Any], **kwargs: Any) -> None:
        from .models import SupervisionSession
        from .support import TOPICS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SupervisionSession.Kind.choices  # type: ignore[attr-defined]
        self.fields["peers"].queryset = peers  # type: ignore[attr-defined]
        self.fields["topics"].choices = list(TOPICS.items())  # type: ignore[attr-defined]
        self.raised = {str(t.pk): t for t in topics}
        if topics:
            self.fields["discussed"].choices = [  # type: ignore[attr-defined]
                (str(t.pk), f"{t.peer.full_name}: {t.text}") for t in topics
            ]
        else:
            del self.fields["discussed"]

    def discussed_topics(self) -> list[Any]:
        return [self.raised[pk] for pk in self.cleaned_data.get("discussed", [])]


class TopicForm(UswdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What do you want to talk about at your next supervision?"), max_length=500
    )


class RulesForm(UswdsFormMixin, forms.Form):
    one_to_one_days = forms.IntegerField(
        label=_("A one-to-one at least every (days)"), min_value=1, max_value=90
    )
    group_days = forms.IntegerField(
        label=_("A group session at least every (days)"), min_value=1, max_value=180
    )
    fidelity_target = forms.IntegerField(
        label=_("Target share of time in peer work (%)"), min_value=0, max_value=100
    )
    caseload_target = forms.IntegerField(
        label=_("Target caseload per peer (people)"), min_value=1, max_value=200
    )
    other_work = forms.MultipleChoiceField(
        label=_("What counts as other work (not peer work)"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everything not ticked counts as peer work."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from peerpath.encounters.models import OtherTask, PeerService

        super().__init__(*args, **kwargs)
        self.fields["other_work"].choices = [  # type: ignore[attr-defined]
            *OtherTask.choices,
            *PeerService.choices,
        ]


# Self-care ------------------------------------------------------------------------------------

_NOTE = {"required": False, "widget": forms.Textarea(attrs={"rows": 3}), "max_length": 4000}


class SelfCarePlanForm(UswdsFormMixin, forms.Form):
    keeps_me_well = forms.CharField(label=_("What keeps me well at work"), **_NOTE)  # type: ignore[arg-type]
    early_signs = forms.CharField(label=_("Early signs that I am stressed"), **_NOTE)  # type: ignore[arg-type]
    what_helps = forms.CharField(label=_("What helps when I am"), **_NOTE)  # type: ignore[arg-type]
    who_to_talk_to = forms.CharField(label=_("Who I can talk to"), **_NOTE)  # type: ignore[arg-type]
    shared_with_supervisor = forms.BooleanField(
        label=_("Let my supervisor read this plan"),
        required=False,
        help_text=_("Off unless you turn it on. You can turn it off at any time."),
    )


_SCALE = [(str(n), str(n)) for n in range(1, 6)]


class CheckinForm(UswdsFormMixin, forms.Form):
    wellbeing = forms.TypedChoiceField(
        label=_("How are you doing at work this week?"),
        choices=_SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is very hard, 5 is very well."),
    )
    support = forms.TypedChoiceField(
        label=_("Do you have the support you need?"),
        choices=_SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 is not at all, 5 is fully."),
    )
    note = forms.CharField(
        label=_("A note for yourself"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Certifications -------------------------------------------------------------------------------


class CertificationForm(UswdsFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Certification"), choices=[], widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Its name"),
        max_length=200,
        required=False,
        help_text=_("For another certification."),
    )
    body = forms.CharField(label=_("Issued by"), max_length=200)
    number = forms.CharField(label=_("Certificate number"), max_length=80, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=_DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=_DATE,
        required=False,
        help_text=_("Leave empty if it does not expire."),
    )
    ce_hours = forms.IntegerField(
        label=_("Hours of continuing education to renew"), min_value=0, max_value=500
    )
    ce_years = forms.IntegerField(label=_("Within how many years"), min_value=1, max_value=10)
    ethics_hours = forms.IntegerField(
        label=_("How many of those hours in ethics"), min_value=0, max_value=500
    )
    file = forms.FileField(
        label=_("The certificate"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file, up to 10 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Certification

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Certification.Kind.choices  # type: ignore[attr-defined]


class TrainingHoursForm(UswdsFormMixin, forms.Form):
    certification = forms.ChoiceField(label=_("Toward which certification"), choices=[])
    title = forms.CharField(label=_("Training"), max_length=200)
    provider = forms.CharField(label=_("Given by"), max_length=200, required=False)
    on = forms.DateField(label=_("On"), widget=_DATE)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=100, decimal_places=2
    )
    ethics_hours = forms.DecimalField(
        label=_("Of them in ethics"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty if none."),
    )

    def __init__(self, *args: Any, certifications: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose one")),
            *((str(c.pk), c.name or c.get_kind_display()) for c in certifications),
        ]

    def clean_ethics_hours(self) -> Decimal:
        return self.cleaned_data.get("ethics_hours") or Decimal(0)


# Orientation ----------------------------------------------------------------------------------


class OrientationStartForm(UswdsFormMixin, forms.Form):
    peer = StaffChoice(label=_("New peer"), queryset=None, empty_label=_("Choose a peer"))
    starts_on = forms.DateField(label=_("First day at work"), widget=_DATE)

    def __init__(self, *args: Any, peers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = peers  # type: ignore[attr-defined]


class OrientationStepForm(UswdsFormMixin, forms.Form):
    title = forms.CharField(label=_("Step"), max_length=200)
    day = forms.IntegerField(label=_("Due on day"), min_value=1, max_value=180)


class ShadowingForm(UswdsFormMixin, forms.Form):
    on = forms.DateField(label=_("On"), widget=_DATE)
    with_whom = forms.CharField(label=_("With whom"), max_length=200)
    elsewhere = forms.CharField(
        label=_("At another agency (which)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if it was here."),
    )
    work = forms.ChoiceField(label=_("Kind of work"), choices=[], widget=forms.RadioSelect)
    reflection = forms.CharField(
        label=_("What I took away"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Shadowing

        super().__init__(*args, **kwargs)
        self.fields["work"].choices = Shadowing.Work.choices  # type: ignore[attr-defined]


class DevelopmentPlanForm(UswdsFormMixin, forms.Form):
    skills = forms.CharField(label=_("Skills I want to grow"), **_NOTE)  # type: ignore[arg-type]
    trainings = forms.CharField(label=_("Trainings I want"), **_NOTE)  # type: ignore[arg-type]
    role_growth = forms.CharField(label=_("How my role could grow"), **_NOTE)  # type: ignore[arg-type]


class CurriculumForm(UswdsFormMixin, forms.Form):
    curriculum = forms.ChoiceField(
        label=_("Curriculum you are trained to deliver"), choices=[], widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Its name"), max_length=200, required=False, help_text=_("For another one.")
    )
    trained_on = forms.DateField(label=_("Trained on"), widget=_DATE)
    trained_by = forms.CharField(label=_("Trained by"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import TrainedCurriculum

        super().__init__(*args, **kwargs)
        self.fields["curriculum"].choices = TrainedCurriculum.Curriculum.choices  # type: ignore[attr-defined]
