import io

from django.core.mail import EmailMultiAlternatives

from sammen.core.mail import ReadableConsoleBackend


def test_console_mail_shows_whole_links_and_the_unsubscribe_headers():
    link = "http://127.0.0.1:8000/abonner/bekraeft/" + "x" * 60 + "/"
    message = EmailMultiAlternatives(
        subject="Bekræft dit abonnement",
        body=f"Klik her: {link}",
        from_email="noreply@example.dk",
        to=["borger@example.dk"],
        headers={"List-Unsubscribe": "<http://127.0.0.1:8000/abonner/afmeld/t/>"},
    )
    message.attach_alternative("<p>Klik</p>", "text/html")
    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert link in printed  # one unbroken line, unlike quoted-printable
    assert "Subject: Bekræft dit abonnement" in printed
    assert "List-Unsubscribe: <http://127.0.0.1:8000/abonner/afmeld/t/>" in printed
