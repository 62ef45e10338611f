"""The six tasks of the collaboration on citizen dialogue, as the steering group reports on them.

Written out here (not imported from app code) so the migration means the same whatever the app
becomes. The steering group edits titles and descriptions afterwards; the keys stay, because the
indicators name their task by key.
"""

from django.db import migrations

TASKS = [
    (
        "conference",
        1,
        "internal",
        "Den årlige konference om københavnerdialog",
        "The yearly conference on citizen dialogue",
        "En fælles konference for medarbejdere i alle syv forvaltninger med oplæg, workshops og "
        "en markedsplads, hvor forvaltningerne viser deres dialogprojekter.",
        "A shared conference for staff in all seven departments, with talks, workshops and a "
        "marketplace where the departments show their dialogue projects.",
    ),
    (
        "competence",
        2,
        "internal",
        "Kompetenceudvikling og netværk",
        "Competence development and network",
        "Morgenboostere to gange om året om ét princip ad gangen og et netværk af "
        "dialogkonsulenter på tværs af forvaltningerne.",
        "Morning meetings twice a year on one principle at a time, and a network of dialogue "
        "consultants across the departments.",
    ),
    (
        "knowledge",
        3,
        "internal",
        "Videndelingsplatform",
        "Knowledge-sharing platform",
        "Inspiration, guides, metoder og aktuelle eksempler på borgerdialog, knyttet til de fem "
        "principper, og hver forvaltnings dialogkonsulenter.",
        "Inspiration, guides, methods and current examples of citizen dialogue, tied to the five "
        "principles, and each department's dialogue consultants.",
    ),
    (
        "entry-point",
        4,
        "external",
        "En lettere indgang på kk.dk: Få indflydelse",
        "An easier entry point on the website: Få indflydelse",
        "Ét sted, hvor københavnerne finder alle måder at få indflydelse på: høringer, "
        "borgermøder, workshops, lokaludvalg, puljer, borgerpaneler og meget mere.",
        "One place where Copenhageners find every way to influence the city: hearings, public "
        "meetings, workshops, local committees, funding pools, citizen panels and more.",
    ),
    (
        "campaign",
        5,
        "external",
        "Den årlige kampagne",
        "The yearly campaign",
        "Plakatkampagnen på byens plakatsøjler, der peger københavnerne hen til Få indflydelse.",
        "The poster campaign on the city's poster columns that points Copenhageners to Få "
        "indflydelse.",
    ),
    (
        "ideas",
        6,
        "external",
        "Facilitering af borgerdrevne idéer",
        "Facilitation of citizen-driven ideas",
        "Københavnere med en idé, der går på tværs af forvaltninger, får en kvittering, en "
        "kontaktperson, frister og et svar, og idéer kan arbejdes videre med i "
        "løsningslaboratorier.",
        "Copenhageners with an idea that crosses departments get a receipt, a contact, deadlines "
        "and an answer, and ideas can be worked on in solution labs.",
    ),
]


def add_tasks(apps, schema_editor):
    Task = apps.get_model("reporting", "Task")
    for key, number, kind, title_da, title_en, description_da, description_en in TASKS:
        Task.objects.update_or_create(
            key=key,
            defaults={
                "number": number,
                "kind": kind,
                "title_da": title_da,
                "title_en": title_en,
                "description_da": description_da,
                "description_en": description_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(add_tasks, migrations.RunPython.noop)]
