"""The engine's full-text index over the folded text: an FTS5 table kept by triggers on SQLite, a GIN index on
the `simple` text search configuration on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS search_fts_insert", "DROP TRIGGER IF EXISTS search_fts_delete",
               "DROP TRIGGER IF EXISTS search_fts_update", "DROP TABLE IF EXISTS search_fts"]
POSTGRES = ["CREATE INDEX search_entry_fulltext ON search_searchentry USING GIN (to_tsvector('simple', folded))"]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS search_entry_fulltext"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO})),
    ]
