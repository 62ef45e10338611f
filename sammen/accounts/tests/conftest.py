import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _axes_reset(request):
    """Failed attempts are stored in the database and would lock out the next test's user."""
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database:
        yield
        return
    from axes.utils import reset

    reset()
    yield
    reset()
