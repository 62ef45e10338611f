"""Scheduled work of the knowledge site."""

from django.tasks import task

from sammen.knowledge import services


@task()
def send_review_reminders() -> int:
    """Remind owners of entries due for review (idempotent: see services.review_reminders_send).

    Run daily, by the worker's scheduler or by `manage.py send_review_reminders` from cron.
    """
    return services.review_reminders_send()
