"""Danish full-text search over knowledge entries; see sammen/knowledge/search.py.

The same machinery as participation's migration 0002 (read its docstring): on PostgreSQL a hidden
`search_document` tsvector column kept by a trigger and indexed with GIN; on SQLite an FTS5 table
over `search_stems` kept by triggers. The trigger lists the text columns of search.TEXT_FIELDS: a
migration that renames or removes one must update it.

Beware on SQLite: when a later migration makes Django rebuild knowledge_entry (it copies the table
and drops the old one), the triggers go with the old table. Such a migration must end with

    search = importlib.import_module("sammen.knowledge.migrations.0002_full_text_search")
    migrations.RunPython(search.install_sqlite_search, migrations.RunPython.noop)

which puts the triggers back and re-indexes; the search tests fail on SQLite until it does.
"""

from django.db import migrations

_REST = " || ' ' || ".join(
    f"coalesce(NEW.{column}, '')"
    for column in (
        "body",
        "purpose",
        "when_to_use",
        "steps",
        "participant_kind",
        "pitfalls",
        "reached",
        "outcome",
        "lessons",
    )
)
_CHANGED = " OR ".join(
    f"NEW.{column} IS DISTINCT FROM OLD.{column}"
    for column in (
        "title",
        "summary",
        "body",
        "purpose",
        "when_to_use",
        "steps",
        "participant_kind",
        "pitfalls",
        "reached",
        "outcome",
        "lessons",
    )
)

PG_CREATE = [
    "ALTER TABLE knowledge_entry ADD COLUMN IF NOT EXISTS search_document tsvector",
    f"""
    CREATE OR REPLACE FUNCTION knowledge_entry_search_document() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' OR NEW.search_document IS NULL OR {_CHANGED} THEN
            NEW.search_document :=
                setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector('pg_catalog.danish', coalesce(NEW.summary, '')), 'B')
                || setweight(to_tsvector('pg_catalog.danish', {_REST}), 'C');
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS knowledge_entry_search_document ON knowledge_entry",
    """
    CREATE TRIGGER knowledge_entry_search_document
    BEFORE INSERT OR UPDATE ON knowledge_entry
    FOR EACH ROW EXECUTE FUNCTION knowledge_entry_search_document()
    """,
    "CREATE INDEX IF NOT EXISTS entry_search_danish ON knowledge_entry USING gin (search_document)",
    "UPDATE knowledge_entry SET search_document = NULL",
]
PG_DROP = [
    "DROP INDEX IF EXISTS entry_search_danish",
    "DROP TRIGGER IF EXISTS knowledge_entry_search_document ON knowledge_entry",
    "DROP FUNCTION IF EXISTS knowledge_entry_search_document()",
    "ALTER TABLE knowledge_entry DROP COLUMN IF EXISTS search_document",
]

SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_entry_fts USING fts5(
        search_stems,
        content='knowledge_entry',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS knowledge_entry_fts_insert
    AFTER INSERT ON knowledge_entry BEGIN
        INSERT INTO knowledge_entry_fts (rowid, search_stems) VALUES (new.id, new.search_stems);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS knowledge_entry_fts_delete
    AFTER DELETE ON knowledge_entry BEGIN
        INSERT INTO knowledge_entry_fts (knowledge_entry_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS knowledge_entry_fts_update
    AFTER UPDATE OF id, search_stems ON knowledge_entry
    WHEN old.id IS NOT new.id OR old.search_stems IS NOT new.search_stems BEGIN
        INSERT INTO knowledge_entry_fts (knowledge_entry_fts, rowid, search_stems)
        VALUES ('delete', old.id, old.search_stems);
        INSERT INTO knowledge_entry_fts (rowid, search_stems) VALUES (new.id, new.search_stems);
    END
    """,
    "INSERT INTO knowledge_entry_fts (knowledge_entry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_entry_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_entry_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_entry_fts_update",
    "DROP TABLE IF EXISTS knowledge_entry_fts",
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
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(install_postgresql_search, uninstall_postgresql_search),
        migrations.RunPython(install_sqlite_search, uninstall_sqlite_search),
    ]
