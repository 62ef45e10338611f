"""Who may do what on the knowledge site: every permission of this app, declared in one place.

The rules, in words (tested as a matrix in tests/test_permissions.py):

- Every active member of staff reads published entries, the five principles, the consultant
  directory and the attachments of what they may read, and may ask a department's consultants.
- Every member of staff writes: anyone may create an entry; it starts as a draft they own.
- The owner edits their entry (also once published), sends a draft for review, marks it as
  reviewed when the review reminder comes, and may see it while it is unpublished. Restoring an
  earlier version is an edit.
- Dialogue consultants review for their department: they edit, publish, return, archive and mark
  as reviewed (like the owner) the entries tagged with one of their departments. An entry tagged with no department
  is everybody's, so every consultant reviews it. They see the out-of-date list and the review queue.
- Coordinators (central) and administrators do all of that for every entry; administrators and
  superusers also edit any consultant profile. A consultant edits their own profile.
- Deactivated and anonymous users may do nothing (`has_permission` refuses them before any rule).

Unpublished entries are visible only to those who may change them; views answer 404 to everyone
else, so a draft's existence is not revealed.
"""

from typing import Any

from sammen.accounts.models import Role
from sammen.accounts.permissions import permission
from sammen.accounts.roles import consultant_department_ids, has_role, is_administrator


def is_central(user: Any) -> bool:
    """Coordinators and administrators work on every entry."""
    return is_administrator(user) or has_role(user, Role.COORDINATOR)


def is_consultant(user: Any) -> bool:
    return bool(consultant_department_ids(user))


def _entry_department_ids(entry: Any) -> set[int]:
    # Uses the prefetched departments when the view fetched them (one query otherwise).
    return {d.pk for d in entry.departments.all()}


@permission("knowledge.view")
def can_view(user: Any, obj: Any = None) -> bool:
    """Every member of staff reads the knowledge site."""
    return True


@permission("knowledge.add_entry")
def can_add_entry(user: Any, obj: Any = None) -> bool:
    """Every member of staff may write a draft."""
    return True


@permission("knowledge.review_entry")
def can_review_entry(user: Any, entry: Any = None) -> bool:
    """Publish, return, archive, mark reviewed: consultants of one of its departments (of any
    department when it has none), coordinators, administrators. Without an entry: whether the user
    reviews anything at all (the review queue and the out-of-date list)."""
    if is_central(user):
        return True
    mine = consultant_department_ids(user)
    if not mine:
        return False
    if entry is None:
        return True
    departments = _entry_department_ids(entry)
    return not departments or bool(departments & mine)


@permission("knowledge.change_entry")
def can_change_entry(user: Any, entry: Any = None) -> bool:
    """Edit, upload, restore a version: its owner and its reviewers. Without an entry: anyone
    (every member of staff owns the entries they write)."""
    if entry is None:
        return True
    return entry.owner_id == user.pk or can_review_entry(user, entry)


@permission("knowledge.view_entry")
def can_view_entry(user: Any, entry: Any = None) -> bool:
    """Published and archived entries: all staff. Drafts and entries in review: whoever may
    change them (the owner and the reviewers)."""
    if entry is None or entry.status in ("published", "archived"):
        return True
    return can_change_entry(user, entry)


@permission("knowledge.submit_entry")
def can_submit_entry(user: Any, entry: Any = None) -> bool:
    """Sending a draft for review: whoever may change it."""
    return can_change_entry(user, entry)


@permission("knowledge.view_stale")
def can_view_stale(user: Any, obj: Any = None) -> bool:
    """The out-of-date list and the review queue: reviewers."""
    return can_review_entry(user, None)


@permission("knowledge.ask_consultant")
def can_ask_consultant(user: Any, obj: Any = None) -> bool:
    return True


@permission("knowledge.change_profile")
def can_change_profile(user: Any, profile_user: Any = None) -> bool:
    """A consultant edits their own directory entry; administrators edit anyone's. Without a
    user: whether they have a profile to edit at all (consultants)."""
    if is_administrator(user):
        return True
    if not is_consultant(user):
        return False
    return profile_user is None or profile_user.pk == user.pk
