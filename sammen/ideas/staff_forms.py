"""Forms of the staff case page: triage, changes of state, assigning, messages and handovers.

Each form validates everything a member of staff can get wrong before the service is called (with
a message naming the field), and hands the service exactly the arguments it takes
(`service_kwargs()`). The services check the same rules again; their ValidationErrors are put back
on these forms' fields by the views. Several forms share one page, so each has its own prefix and
its fields have unique ids.
"""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Role, User
from sammen.accounts.roles import has_role
from sammen.core.models import Department
from sammen.events.models import Event, Kind
from sammen.ideas.models import Handover, Idea
from sammen.ideas.states import TRIAGE_OUTCOMES, Outcome, State
from sammen.participation.models import Channel, Opportunity
from sammen.participation.selectors import public_opportunities

TEXT_MAX = 5000


def _text(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 4) -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _public_message(label: Any = None, *, required: bool = False) -> forms.Field:
    return _text(
        label or _("Message to the citizen"),
        required=required,
        help_text=_("Shown on the citizen's tracking page and sent by e-mail. Write plainly."),
    )


def _internal_note(label: Any = None, *, required: bool = False) -> forms.Field:
    return _text(
        label or _("Internal note"),
        required=required,
        help_text=_("Only staff handling the idea see this. The citizen never does."),
        rows=3,
    )


def display_name(user: User) -> str:
    return user.get_full_name() or user.username


class UserChoiceField(forms.ModelChoiceField):
    """Staff shown by name (the default is the same, but says so here for the grouped choices)."""

    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return display_name(obj)


def active_staff() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def department_staff(department: Department | None) -> QuerySet[User]:
    """The handlers a department can have: its active members (services._handler_fits agrees)."""
    if department is None:
        return User.objects.none()
    return active_staff().filter(departments=department)


def coordinators() -> QuerySet[User]:
    """Who can be the coordinator responsible for an idea: active staff with the role."""
    return active_staff().filter(role_assignments__role=Role.COORDINATOR).distinct()


def staff_grouped_by_department() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every department's active members, as grouped choices (one query, and the departments).

    The triage form offers handlers before the lead department is chosen; grouping them by
    department lets the coordinator pick the right person without JavaScript, and the form checks
    the choice against the lead department chosen.
    """
    names = {d.pk: d.name for d in Department.objects.all()}
    groups: dict[int, list[tuple[int, str]]] = {pk: [] for pk in names}
    rows = (
        active_staff()
        .filter(departments__isnull=False)
        .values_list("pk", "first_name", "last_name", "username", "departments")
    )
    for pk, first, last, username, department_id in rows:
        groups[department_id].append((pk, f"{first} {last}".strip() or username))
    return [(names[pk], members) for pk, members in groups.items() if members]


def open_opportunities() -> QuerySet[Opportunity]:
    """Published opportunities a citizen can still join: what an idea can be referred to."""
    now = timezone.now()
    return (
        public_opportunities()
        .filter(outcome_published_at__isnull=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .only("pk", "title")
        .order_by("title", "pk")
    )


def _coordinator_field() -> forms.Field:
    return UserChoiceField(
        label=_("Coordinator responsible"),
        queryset=coordinators(),
        empty_label=_("Choose a coordinator"),
        help_text=_("Sees to it that the idea gets an answer in time."),
    )


def _default_coordinator(form: forms.Form, idea: Idea, user: User) -> None:
    """The idea's coordinator, else the coordinator triaging. An administrator acting for the
    coordinators has no default: they name the coordinator responsible."""
    if idea.coordinator_id:
        form.initial.setdefault("coordinator", idea.coordinator_id)
    elif has_role(user, Role.COORDINATOR):
        form.initial.setdefault("coordinator", user.pk)


class LabChoiceField(forms.ModelChoiceField):
    """A solution lab by its title and date."""

    def label_from_instance(self, obj: Event) -> str:  # type: ignore[override]
        return f"{obj.title} ({timezone.localtime(obj.starts_at):%d.%m.%Y})"


def labs_of(idea: Idea) -> QuerySet[Event]:
    """The solution labs the idea was taken to: what "taken to a solution lab" can name."""
    return Event.objects.filter(kind=Kind.SOLUTION_LAB, lab_ideas__idea=idea).order_by(
        "starts_at", "pk"
    )


class ActionForm(forms.Form):
    """Errors from a service carry the model's field names; `error_field` maps them to ours."""

    error_fields: dict[str, str] = {}

    def error_field(self, name: str) -> str | None:
        name = self.error_fields.get(name, name)
        return name if name in self.fields else None

    def service_kwargs(self) -> dict[str, Any]:
        raise NotImplementedError


class TriageForm(ActionForm):
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.all(),
        empty_label=_("Choose a department"),
        help_text=_("The department that answers the citizen and closes the idea."),
    )
    involved_departments = forms.ModelMultipleChoiceField(
        label=_("Involved departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Departments that take part. The lead department is left out by itself."),
    )
    handler = UserChoiceField(
        label=_("Handler"),
        queryset=active_staff().filter(departments__isnull=False).distinct(),
        required=False,
        empty_label=_("Let the department choose"),
        help_text=_("A named member of staff in the lead department."),
    )
    coordinator = _coordinator_field()
    public_message = _public_message()
    internal_note = _internal_note()

    def __init__(self, *args: Any, idea: Idea, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "triage")
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["handler"].choices = [
            ("", self.fields["handler"].empty_label),
            *staff_grouped_by_department(),
        ]
        _default_coordinator(self, idea, user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lead, handler = data.get("lead_department"), data.get("handler")
        if (
            lead is not None
            and handler is not None
            and not handler.departments.filter(pk=lead.pk).exists()
        ):
            self.add_error(
                "handler",
                _("%(name)s does not work in %(department)s. Choose someone who does.")
                % {"name": display_name(handler), "department": lead.name},
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "to_state": State.TRIAGED,
            "lead_department": data["lead_department"],
            "involved_departments": list(data["involved_departments"]),
            "handler": data["handler"],
            "coordinator": data["coordinator"],
            "public_message": data["public_message"],
            "internal_note": data["internal_note"],
        }


class CloseForm(ActionForm):
    """Close an idea with its outcome. From triage only referral, duplicate or spam."""

    error_fields = {"duplicate_of": "duplicate_reference"}

    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    public_message = _public_message(_("Message to the citizen: how and why the idea ends"))
    outcome_reason = _text(
        _("Why the idea is not possible"),
        help_text=_("Needed when the idea is not possible. The citizen sees it."),
    )
    outcome_alternatives = _text(
        _("Alternatives for the citizen"),
        help_text=_("Needed when the idea is not possible. One alternative per line."),
    )
    referred_opportunity = forms.ModelChoiceField(
        label=_("Refer to an opportunity"),
        queryset=Opportunity.objects.none(),
        required=False,
        empty_label=_("No opportunity"),
        help_text=_("When referring: a hearing, meeting or pool the citizen can join now."),
    )
    referred_channel = forms.ModelChoiceField(
        label=_("Refer to a channel"),
        queryset=Channel.objects.all(),
        required=False,
        empty_label=_("No channel"),
        help_text=_(
            "When referring: a way to take part. Taken from the opportunity if you chose one."
        ),
    )
    solution_lab = LabChoiceField(
        label=_("Solution lab"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Choose the lab"),
        help_text=_(
            "When taken to a solution lab: the lab the idea was taken to. Take it to a lab first "
            "(“Take to a solution lab” on this page)."
        ),
    )
    duplicate_reference = forms.CharField(
        label=_("Duplicate of the idea"),
        max_length=20,
        required=False,
        help_text=_(
            "When closing as a duplicate: the other idea's reference, e.g. IDE-2026-00042."
        ),
    )
    internal_note = _internal_note()

    def __init__(
        self,
        *args: Any,
        idea: Idea,
        outcomes: list[Outcome] | None = None,
        user: User | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.idea = idea
        if idea.coordinator_id is None and user is not None:
            # Closed at triage: a closed idea, too, has one coordinator responsible for it.
            self.fields["coordinator"] = _coordinator_field()
            _default_coordinator(self, idea, user)
        outcomes = outcomes or list(Outcome)
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]
        self.fields["referred_opportunity"].queryset = open_opportunities()
        if Outcome.SOLUTION_LAB in outcomes:
            self.fields["solution_lab"].queryset = labs_of(idea)
        else:
            del self.fields["solution_lab"]
        if Outcome.NOT_POSSIBLE not in outcomes:
            del self.fields["outcome_reason"]
            del self.fields["outcome_alternatives"]
        if Outcome.SPAM in outcomes:
            self.fields["public_message"].help_text = _(
                "Needed for every outcome but spam. A spammer is told nothing."
            )

    def clean_duplicate_reference(self) -> str:
        return self.cleaned_data["duplicate_reference"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome is None:
            return data
        if outcome != Outcome.SPAM and not data.get("public_message", "").strip():
            self.add_error("public_message", _("Tell the citizen how and why the idea ends."))
        if outcome == Outcome.NOT_POSSIBLE:
            if not data.get("outcome_reason", "").strip():
                self.add_error("outcome_reason", _("Explain why the idea is not possible."))
            if not data.get("outcome_alternatives", "").strip():
                self.add_error(
                    "outcome_alternatives", _("Give the citizen at least one alternative.")
                )
        if outcome == Outcome.REFERRED and not (
            data.get("referred_opportunity") or data.get("referred_channel")
        ):
            self.add_error("referred_opportunity", _("Choose an opportunity or a channel."))
        if outcome == Outcome.DUPLICATE:
            data["duplicate_of"] = self._duplicate_of(data.get("duplicate_reference", ""))
        if outcome == Outcome.SOLUTION_LAB and not data.get("solution_lab"):
            self.add_error(
                "solution_lab",
                _("Choose the solution lab the idea was taken to; take it to a lab first."),
            )
        return data

    def _duplicate_of(self, reference: str) -> Idea | None:
        if not reference:
            self.add_error("duplicate_reference", _("Give the reference of the other idea."))
            return None
        other = Idea.objects.filter(reference=reference).exclude(pk=self.idea.pk).first()
        if other is None:
            self.add_error(
                "duplicate_reference",
                _("No other idea has the reference %(reference)s.") % {"reference": reference},
            )
        return other

    def service_kwargs(self) -> dict[str, Any]:
        """Only what belongs to the chosen outcome: a reference typed and then left for another
        outcome is not stored."""
        data = self.cleaned_data
        outcome = data["outcome"]
        kwargs: dict[str, Any] = {
            "to_state": State.CLOSED,
            "outcome": outcome,
            "public_message": "" if outcome == Outcome.SPAM else data["public_message"],
            "internal_note": data["internal_note"],
        }
        if outcome == Outcome.NOT_POSSIBLE:
            kwargs["outcome_reason"] = data["outcome_reason"]
            kwargs["outcome_alternatives"] = data["outcome_alternatives"]
        if outcome == Outcome.REFERRED:
            kwargs["referred_opportunity"] = data["referred_opportunity"]
            kwargs["referred_channel"] = data["referred_channel"]
        if outcome == Outcome.DUPLICATE:
            kwargs["duplicate_of"] = data["duplicate_of"]
        if outcome == Outcome.SOLUTION_LAB:
            kwargs["solution_lab"] = data["solution_lab"]
        if "coordinator" in data:
            kwargs["coordinator"] = data["coordinator"]
        return kwargs


def triage_close_form(*args: Any, idea: Idea, user: User, **kwargs: Any) -> CloseForm:
    """Closing straight from triage: referred, duplicate or spam, with the coordinator."""
    outcomes = [o for o in Outcome if o in TRIAGE_OUTCOMES]
    return CloseForm(
        *args, idea=idea, outcomes=outcomes, user=user, prefix="triage-close", **kwargs
    )


class StateChangeForm(ActionForm):
    """Moving an idea on without closing it: what the move needs is required."""

    public_message = _public_message()
    internal_note = _internal_note()

    def __init__(self, *args: Any, idea: Idea, to_state: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"to-{to_state}")
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.to_state = State(to_state)
        fields = self.fields
        if self.to_state == State.WAITING_FOR_CITIZEN:
            fields["public_message"] = _public_message(
                _("Your question to the citizen"), required=True
            )
            fields["public_message"].help_text = _(
                "The clock stops until the citizen answers. The question is sent by e-mail."
            )
        elif self.to_state == State.ANSWERED:
            fields["public_message"] = _public_message(
                _("The answer to the citizen"), required=True
            )
        elif idea.state == State.CLOSED:
            fields["internal_note"] = _internal_note(_("Why the idea is re-opened"), required=True)
            if idea.lead_department_id is None:
                # Closed at triage: re-opening gives it a lead department (services allow that).
                fields["lead_department"] = forms.ModelChoiceField(
                    label=_("Lead department"),
                    queryset=Department.objects.all(),
                    empty_label=_("Choose a department"),
                )
                self.order_fields(["lead_department"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            "to_state": self.to_state,
            "public_message": data["public_message"],
            "internal_note": data["internal_note"],
        }
        if "lead_department" in data:
            kwargs["lead_department"] = data["lead_department"]
        return kwargs


def transition_form(idea: Idea, to_state: str, data: Any = None) -> ActionForm:
    """The form for moving `idea` to `to_state` (a closing form for "closed")."""
    if to_state == State.CLOSED:
        outcomes = (
            [o for o in Outcome if o in TRIAGE_OUTCOMES]
            if idea.lead_department_id is None
            else None
        )
        return CloseForm(data, idea=idea, outcomes=outcomes)
    return StateChangeForm(data, idea=idea, to_state=to_state)


class AssignForm(ActionForm):
    handler = UserChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No named handler"),
        help_text=_("A member of staff in the lead department."),
    )
    involved_departments = forms.ModelMultipleChoiceField(
        label=_("Involved departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    internal_note = _internal_note()

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["handler"].queryset = department_staff(idea.lead_department)
        self.fields["involved_departments"].queryset = Department.objects.exclude(
            pk=idea.lead_department_id
        )
        self.initial.setdefault("handler", idea.handler_id)
        self.initial.setdefault(
            "involved_departments", [d.pk for d in idea.involved_departments.all()]
        )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "handler": data["handler"],
            "involved_departments": list(data["involved_departments"]),
            "internal_note": data["internal_note"],
        }


class MessageForm(ActionForm):
    public_message = _public_message()
    internal_note = _internal_note()

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "message")
        super().__init__(*args, **kwargs)
        self.idea = idea

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        empty = (
            not data.get("public_message", "").strip() and not data.get("internal_note", "").strip()
        )
        if empty and not self.has_error("public_message") and not self.has_error("internal_note"):
            self.add_error(
                "public_message", _("Write a message to the citizen, an internal note or both.")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "public_message": self.cleaned_data["public_message"],
            "internal_note": self.cleaned_data["internal_note"],
        }


class HandOverForm(ActionForm):
    to_department = forms.ModelChoiceField(
        label=_("Hand over to"),
        queryset=Department.objects.all(),
        empty_label=_("Choose a department"),
        help_text=_("The department must accept or return the idea within %(days)s working days."),
    )
    note = _text(
        _("Why the other department should take over"),
        required=True,
        help_text=_("Only staff see this note."),
    )

    def __init__(self, *args: Any, idea: Idea, working_days: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "handover")
        super().__init__(*args, **kwargs)
        self.idea = idea
        field = self.fields["to_department"]
        field.queryset = Department.objects.exclude(pk=idea.lead_department_id)
        field.help_text = field.help_text % {"days": working_days}

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "to_department": self.cleaned_data["to_department"],
            "note": self.cleaned_data["note"],
        }


class HandoverDecisionForm(ActionForm):
    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        label=_("Your department's decision"),
        choices=[
            (ACCEPT, _("Accept: we take the lead")),
            (RETURN, _("Return: the lead stays where it is")),
        ],
        widget=forms.RadioSelect,
    )
    handler = UserChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose later"),
        help_text=_("Only when accepting: a member of staff in your department."),
    )
    note = _text(
        _("Note"),
        help_text=_("Needed when returning: why your department cannot take over."),
        rows=3,
    )

    def __init__(self, *args: Any, handover: Handover, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.handover = handover
        self.fields["handler"].queryset = department_staff(handover.to_department)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("note", "").strip():
            self.add_error("note", _("Explain why your department cannot take over."))
        return data

    @property
    def accepting(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.accepting:
            return {"handler": data["handler"], "note": data["note"]}
        return {"note": data["note"]}
