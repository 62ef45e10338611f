"""Danish full-text search over opportunities; see sammen/participation/search.py.

PostgreSQL: a column `search_document` holding the weighted `danish` tsvector of title (A), summary
(B) and body (C), kept by a trigger and indexed with GIN. The column is not a model field (the model
must work on SQLite too); Django never writes it, the trigger always does. A stored column rather
than an index on the expression: ranking and common words then read the stored vector instead of
re-stemming every matching body (a search for a word in all 100,000 demo rows: 0.3 s, not 60 s).
A trigger rather than a generated column: PostgreSQL refuses to change the type of a column a
generated column uses, which would block e.g. a longer title. A migration that removes or renames
title, summary or body must update the trigger function below.

SQLite: an FTS5 table over `search_stems` with external content (the text lives only in
participation_opportunity) and triggers that keep it in step. Beware: when a later migration makes
Django rebuild participation_opportunity on SQLite (it copies the table and drops the old one),
the triggers go with the old table. Such a migration must end with

    search = importlib.import_module("sammen.participation.migrations.0002_full_text_search")
    migrations.RunPython(search.install_sqlite_search, migrations.RunPython.noop)

which puts the triggers back and re-indexes; the search tests fail on SQLite until it does.

Neither touches Django's model state, so `makemigrations` sees nothing to do.
"""

from django.db import migrations

PG_CREATE = [
    "ALTER TABLE participation_opportunity ADD COLUMN IF NOT EXISTS search_document tsvector",
    # Recomputed only when the text changes, so saving a row for another reason stays cheap.
    """
    CREATE OR REPLACE FUNCTION participation_opportunity_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT'
            OR NEW.search_document IS NULL
            OR NEW.title IS DISTINCT FROM OLD.title
            OR NEW.summary IS DISTINCT FROM OLD.summary
            OR NEW.body IS DISTINCT FROM OLD.body
        THEN
            NEW.search_document :=
                setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.summary, '')), 'B')
                || setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.body, '')), 'C');
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS participation_opportunity_search_document ON participation_opportunity",
    """
    CREATE TRIGGER participation_opportunity_search_document
    BEFORE INSERT OR UPDATE ON participation_opportunity
    FOR EACH ROW EXECUTE FUNCTION participation_opportunity_search_document()
    """,
    """
    CREATE INDEX IF NOT EXISTS opportunity_search_danish
    ON participation_opportunity USING gin (search_document)
    """,
    # Last, since PostgreSQL refuses DDL on a table with pending (deferred) trigger events: the
    # trigger fills in every row whose document is missing.
    "UPDATE participation_opportunity SET search_document = NULL",
]
PG_DROP = [
    "DROP INDEX IF EXISTS opportunity_search_danish",
    "DROP TRIGGER IF EXISTS participation_opportunity_search_document ON participation_opportunity",
    "DROP FUNCTION IF EXISTS participation_opportunity_search_document()",
    "ALTER TABLE participation_opportunity DROP COLUMN IF EXISTS search_document",
]

# remove_diacritics 0: "år" and "ar" are different words; PostgreSQL's danish does not fold them.
SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS participation_opportunity_fts USING fts5(
        search_stems,
        content='participation_opportunity',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS participation_opportunity_fts_insert
    AFTER INSERT ON participation_opportunity BEGIN
        INSERT INTO participation_opportunity_fts (rowid, search_stems)
        VALUES (new.id, new.search_stems);
    END
    """,
    # An external-content FTS5 table forgets a row only when told its old text exactly.
    """
    CREATE TRIGGER IF NOT EXISTS participation_opportunity_fts_delete
    AFTER DELETE ON participation_opportunity BEGIN
        INSERT INTO participation_opportunity_fts (participation_opportunity_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS participation_opportunity_fts_update
    AFTER UPDATE OF id, search_stems ON participation_opportunity
    WHEN old.id IS NOT new.id OR old.search_stems IS NOT new.search_stems BEGIN
        INSERT INTO participation_opportunity_fts (participation_opportunity_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO participation_opportunity_fts (rowid, search_stems)
        VALUES (new.id, new.search_stems);
    END
    """,
    # Index what is already there (also after the triggers were lost and are being put back).
    "INSERT INTO participation_opportunity_fts (participation_opportunity_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS participation_opportunity_fts_insert",
    "DROP TRIGGER IF EXISTS participation_opportunity_fts_delete",
    "DROP TRIGGER IF EXISTS participation_opportunity_fts_update",
    "DROP TABLE IF EXISTS participation_opportunity_fts",
]


def fill_search_stems(apps, schema_editor) -> None:
    """Stem the rows written before search existed (none on a new database).

    On every database: PostgreSQL does not search `search_stems`, but a copy of its data loaded
    into SQLite must arrive with them.
    """
    from sammen.participation.search import stems_for

    Opportunity = apps.get_model("participation", "Opportunity")
    rows = Opportunity.objects.using(schema_editor.connection.alias).only(
        "pk", "title", "summary", "body", "search_stems"
    )
    batch = []
    for row in rows.iterator(chunk_size=1000):
        stems = stems_for(title=row.title, summary=row.summary, body=row.body)
        if stems != row.search_stems:
            row.search_stems = stems
            batch.append(row)
    rows.bulk_update(batch, ["search_stems"], batch_size=1000)


def install_sqlite_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_CREATE:
        schema_editor.execute(sql)


def uninstall_sqlite_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


def install_postgresql_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_CREATE:
            schema_editor.execute(sql)


def uninstall_postgresql_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]

    operations = [
        migrations.RunPython(install_postgresql_search, uninstall_postgresql_search),
        # Stems before the SQLite index: its update trigger must not "delete" rows that were never
        # indexed.
        migrations.RunPython(fill_search_stems, migrations.RunPython.noop),
        migrations.RunPython(install_sqlite_search, uninstall_sqlite_search),
    ]
