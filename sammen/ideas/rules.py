"""Who may do what with an idea: every staff permission of the ideas app, in one place.

An idea belongs to its lead department and is shared with its involved departments. The rules:
- every member of staff may open the ideas dashboard (it shows their own departments' ideas);
- coordinators and administrators see every idea and triage the queue (the coordinators are
  responsible for ideas reaching an answer; administrators may act for anyone);
- staff of the lead and involved departments see the idea, its internal notes and the
  contact details (each look at the contact details is logged), and add messages and notes;
- only the lead department (and coordinators) change the state, name the handler, close and
  hand over; only the receiving department (and coordinators) accept or return a handover;
- staff of any other department see nothing of the idea.

Department membership is `User.departments`; a dialogue consultant's department role counts as
membership of that department. Each rule is a named function so the views, the templates and the
permission-matrix tests ask the same question.
"""

from typing import Any

from django.db.models import Q, QuerySet

from sammen.accounts.models import Role
from sammen.accounts.permissions import is_active_staff, permission
from sammen.accounts.roles import consultant_department_ids, has_role, is_administrator
from sammen.ideas.models import Handover, Idea
from sammen.participation.rules import department_ids


def staff_department_ids(user: Any) -> frozenset[int]:
    """The departments the user works in or is a dialogue consultant for."""
    if not is_active_staff(user):
        return frozenset()
    return department_ids(user) | consultant_department_ids(user)


def is_coordinator(user: Any) -> bool:
    """Coordinators, and administrators, who may act for anyone."""
    return is_active_staff(user) and (has_role(user, Role.COORDINATOR) or is_administrator(user))


def _involved_ids(idea: Idea) -> set[int]:
    # Reads the prefetch cache when the view prefetched involved_departments.
    return {d.pk for d in idea.involved_departments.all()}


def is_lead_staff(user: Any, idea: Idea) -> bool:
    return idea.lead_department_id is not None and (
        idea.lead_department_id in staff_department_ids(user)
    )


def is_involved_staff(user: Any, idea: Idea) -> bool:
    return bool(_involved_ids(idea) & staff_department_ids(user))


@permission("ideas.view_dashboard")
def can_use_dashboard(user: Any, obj: Any = None) -> bool:
    return is_active_staff(user)


@permission("ideas.triage")
def can_triage(user: Any, obj: Any = None) -> bool:
    """Set the lead department, refer, or close as spam or duplicate: coordinators."""
    return is_coordinator(user)


@permission("ideas.view_idea")
def can_view_idea(user: Any, idea: Idea | None) -> bool:
    """The whole case, internal notes included. A pending handover's receiving department may
    look at the idea before deciding."""
    if idea is None:
        return is_active_staff(user)
    if is_coordinator(user) or is_lead_staff(user, idea) or is_involved_staff(user, idea):
        return True
    pending_to = {
        h.to_department_id for h in idea.handovers.all() if h.status == Handover.Status.PENDING
    }
    return bool(pending_to & staff_department_ids(user))


@permission("ideas.view_contact_details")
def can_view_contact_details(user: Any, idea: Idea | None) -> bool:
    """The citizen's name, e-mail and phone: the departments handling it and the coordinators."""
    if idea is None:
        return False
    return is_coordinator(user) or is_lead_staff(user, idea) or is_involved_staff(user, idea)


@permission("ideas.add_message")
def can_add_message(user: Any, idea: Idea | None) -> bool:
    """Internal notes and public messages: lead and involved departments, coordinators."""
    return can_view_contact_details(user, idea)


@permission("ideas.handle")
def can_handle(user: Any, idea: Idea | None) -> bool:
    """Change the state, close with an outcome, name the handler and hand over: the lead
    department and the coordinators."""
    if idea is None:
        return False
    return is_coordinator(user) or is_lead_staff(user, idea)


@permission("ideas.decide_handover")
def can_decide_handover(user: Any, handover: Handover | None) -> bool:
    """Accept or return a handover: the receiving department and the coordinators."""
    if handover is None or handover.status != Handover.Status.PENDING:
        return False
    return is_coordinator(user) or handover.to_department_id in staff_department_ids(user)


@permission("ideas.view_erasures")
def can_view_erasures(user: Any, obj: Any = None) -> bool:
    """The record of erased personal data: coordinators and administrators."""
    return is_coordinator(user)


def ideas_visible_to(user: Any) -> QuerySet[Idea]:
    """`ideas.view_idea` in SQL, for lists (ideas awaiting confirmation are nobody's yet)."""
    qs = Idea.objects.exclude(state="awaiting_confirmation")
    if is_coordinator(user):
        return qs
    ids = staff_department_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(
        Q(lead_department_id__in=ids)
        | Q(involved_departments__in=ids)
        | Q(handovers__status=Handover.Status.PENDING, handovers__to_department_id__in=ids)
    ).distinct()
