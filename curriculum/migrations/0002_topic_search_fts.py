"""SQLite only: an FTS5 table of the topics for full-text search, kept current by triggers (and
refilled by every curriculum import). PostgreSQL searches the topics' tsvector on the fly."""

from django.db import migrations

TABLE = "curriculum_topic_fts"
# Porter stemming over Unicode words: "vectors" finds "vector", "x-vectors" is x + vectors.
CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, summary, skills, body, tokenize='porter unicode61')",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON curriculum_topic BEGIN
        INSERT INTO {TABLE} (rowid, title, summary, skills, body)
        VALUES (new.id, new.title, new.summary, new.skills, new.body_markdown); END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE ON curriculum_topic BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
        INSERT INTO {TABLE} (rowid, title, summary, skills, body)
        VALUES (new.id, new.title, new.summary, new.skills, new.body_markdown); END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON curriculum_topic BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id; END""",
    f"""INSERT INTO {TABLE} (rowid, title, summary, skills, body)
        SELECT id, title, summary, skills, body_markdown FROM curriculum_topic""",
]
DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_{event}" for event in ("insert", "update", "delete")] + [
    f"DROP TABLE IF EXISTS {TABLE}"
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
