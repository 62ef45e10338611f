"""Background work of the public catalogue: subscription e-mails and their clean-up.

Tasks take row ids, never e-mail addresses, so no personal data is copied into the task queue.
The rules live in sammen.participation.subscriptions; these are thin entry points for the worker.
"""

from django.tasks import task

from sammen.participation import subscriptions


@task(queue_name="email")
def send_confirmation(*, subscription_id: int) -> bool:
    """The double opt-in e-mail. Does nothing when the subscription is gone or confirmed."""
    return subscriptions.confirmation_send(subscription_id=subscription_id)


@task(queue_name="email")
def send_digest(*, subscription_id: int) -> bool:
    """One weekly digest. Safe to run twice: the second run finds the row already claimed."""
    return subscriptions.digest_send(subscription_id=subscription_id)


@task()
def cleanup_subscriptions() -> int:
    """Delete subscriptions left unconfirmed for 7 days. Safe to run any number of times."""
    return subscriptions.subscriptions_cleanup()
