"""The log of staff looking at a citizen's personal data (issue §5: who, which idea, when).

A look is recorded before the data is shown, in the same request, so there is no way to see the
contact details without leaving a row. The row holds no personal data itself: the idea, the member
of staff, the time and what was looked at.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.ideas.models import Idea, PersonalDataAccess

CONTACT_DETAILS = "contact_details"
ATTACHMENT = "attachment"
# What was looked at, as the case page names it.
PURPOSES = {CONTACT_DETAILS: _("Contact details"), ATTACHMENT: _("An attachment")}


def record_access(*, idea: Idea, user: Any, purpose: str = CONTACT_DETAILS) -> PersonalDataAccess:
    """Record that `user` looked at the personal data of `idea`; the caller shows it after."""
    access = PersonalDataAccess(idea=idea, user=user, purpose=purpose, at=timezone.now())
    access.full_clean()
    access.save()
    return access


def accesses_for(idea: Idea) -> QuerySet[PersonalDataAccess]:
    """Who looked at the idea's personal data, newest first (one query, users joined)."""
    return (
        PersonalDataAccess.objects.filter(idea=idea).select_related("user").order_by("-at", "-pk")
    )
