import pytest

from sammen.reporting.demo import restore_default_tasks


@pytest.fixture(autouse=True)
def _six_tasks(db) -> None:
    """The six tasks come from a data migration; a transactional test elsewhere may have flushed
    them from the shared test database."""
    restore_default_tasks()
