"""Danish full-text search over ideas' title and description; see sammen/ideas/search.py.

The same machinery as participation's migration 0002 (read its docstring): on PostgreSQL a hidden
`search_document` tsvector column kept by a trigger and indexed with GIN; on SQLite an FTS5 table
over `search_stems` kept by triggers. A migration that renames title or description must update
the trigger function below.

Beware on SQLite: when a later migration makes Django rebuild ideas_idea (it copies the table and
drops the old one), the triggers go with the old table. Such a migration must end with

    search = importlib.import_module("sammen.ideas.migrations.0003_full_text_search")
    migrations.RunPython(search.install_sqlite_search, migrations.RunPython.noop)

which puts the triggers back and re-indexes; the search tests fail on SQLite until it does.
"""

from django.db import migrations

PG_CREATE = [
    "ALTER TABLE ideas_idea ADD COLUMN IF NOT EXISTS search_document tsvector",
    """
    CREATE OR REPLACE FUNCTION ideas_idea_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.search_document IS NULL
           OR NEW.title IS DISTINCT FROM OLD.title
           OR NEW.description IS DISTINCT FROM OLD.description THEN
            NEW.search_document :=
                setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.description, '')), 'B');
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS ideas_idea_search_document ON ideas_idea",
    """
    CREATE TRIGGER ideas_idea_search_document
    BEFORE INSERT OR UPDATE ON ideas_idea
    FOR EACH ROW EXECUTE FUNCTION ideas_idea_search_document()
    """,
    "CREATE INDEX IF NOT EXISTS idea_search_danish ON ideas_idea USING gin (search_document)",
    "UPDATE ideas_idea SET search_document = NULL",
]
PG_DROP = [
    "DROP INDEX IF EXISTS idea_search_danish",
    "DROP TRIGGER IF EXISTS ideas_idea_search_document ON ideas_idea",
    "DROP FUNCTION IF EXISTS ideas_idea_search_document()",
    "ALTER TABLE ideas_idea DROP COLUMN IF EXISTS search_document",
]

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS ideas_idea_fts USING fts5(
        search_stems,
        content='ideas_idea',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_insert
    AFTER INSERT ON ideas_idea BEGIN
        INSERT INTO ideas_idea_fts (rowid, search_stems) VALUES (new.id, new.search_stems);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_delete
    AFTER DELETE ON ideas_idea BEGIN
        INSERT INTO ideas_idea_fts (ideas_idea_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_update
    AFTER UPDATE OF id, search_stems ON ideas_idea
    WHEN old.id IS NOT new.id OR old.search_stems IS NOT new.search_stems BEGIN
        INSERT INTO ideas_idea_fts (ideas_idea_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO ideas_idea_fts (rowid, search_stems) VALUES (new.id, new.search_stems);
    END
    """,
    "INSERT INTO ideas_idea_fts (ideas_idea_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ideas_idea_fts_insert",
    "DROP TRIGGER IF EXISTS ideas_idea_fts_delete",
    "DROP TRIGGER IF EXISTS ideas_idea_fts_update",
    "DROP TABLE IF EXISTS ideas_idea_fts",
]


def install_sqlite_search(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
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
    dependencies = [("ideas", "0002_case_records")]

    operations = [
        migrations.RunPython(install_postgresql_search, uninstall_postgresql_search),
        migrations.RunPython(install_sqlite_search, uninstall_sqlite_search),
    ]
