"""search index: FTS5 over parent names, case references and story text, kept in step by triggers"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
NAMES = "p.voornamen || ' ' || p.voorletters || ' ' || p.tussenvoegsel || ' ' || p.achternaam"

# Rows are found by the ids stored in the index, never by rowid: rowids of tables without an INTEGER
# PRIMARY KEY may change on VACUUM or on the export that rekey does.
STATEMENTS = [
    f"CREATE VIRTUAL TABLE story_fts USING fts5(case_id UNINDEXED, entry_id UNINDEXED, text, "
    f"content = '', contentless_delete = 1, contentless_unindexed = 1, {TOKENIZE})",
    f"CREATE VIRTUAL TABLE case_fts USING fts5(case_id UNINDEXED, reference, names, {TOKENIZE})",
    """CREATE TRIGGER story_entry_fts_insert AFTER INSERT ON story_entry BEGIN
         INSERT INTO story_fts (case_id, entry_id, text) VALUES (new.case_id, new.id, new.text);
       END""",
    """CREATE TRIGGER story_entry_fts_update AFTER UPDATE OF text, case_id ON story_entry BEGIN
         DELETE FROM story_fts WHERE entry_id = old.id;
         INSERT INTO story_fts (case_id, entry_id, text) VALUES (new.case_id, new.id, new.text);
       END""",
    """CREATE TRIGGER story_entry_fts_delete AFTER DELETE ON story_entry BEGIN
         DELETE FROM story_fts WHERE entry_id = old.id;
       END""",
    f"""CREATE TRIGGER case_fts_insert AFTER INSERT ON case_file BEGIN
         INSERT INTO case_fts (case_id, reference, names)
         SELECT new.id, new.reference, {NAMES} FROM parent AS p WHERE p.id = new.parent_id;
       END""",
    f"""CREATE TRIGGER case_fts_update AFTER UPDATE OF reference, parent_id ON case_file BEGIN
         DELETE FROM case_fts WHERE case_id = old.id;
         INSERT INTO case_fts (case_id, reference, names)
         SELECT new.id, new.reference, {NAMES} FROM parent AS p WHERE p.id = new.parent_id;
       END""",
    """CREATE TRIGGER case_fts_delete AFTER DELETE ON case_file BEGIN
         DELETE FROM case_fts WHERE case_id = old.id;
       END""",
    """CREATE TRIGGER parent_fts_update
         AFTER UPDATE OF voornamen, voorletters, tussenvoegsel, achternaam ON parent BEGIN
         UPDATE case_fts
            SET names = new.voornamen || ' ' || new.voorletters || ' ' || new.tussenvoegsel || ' '
                        || new.achternaam
          WHERE case_id IN (SELECT id FROM case_file WHERE parent_id = new.id);
       END""",
]

# A store upgraded from 0001 may already hold rows: index them once.
BACKFILL = [
    "INSERT INTO story_fts (case_id, entry_id, text) SELECT case_id, id, text FROM story_entry",
    f"INSERT INTO case_fts (case_id, reference, names) SELECT c.id, c.reference, {NAMES} "
    "FROM case_file AS c JOIN parent AS p ON p.id = c.parent_id",
]

DROPS = [
    "DROP TRIGGER parent_fts_update", "DROP TRIGGER case_fts_delete", "DROP TRIGGER case_fts_update",
    "DROP TRIGGER case_fts_insert", "DROP TRIGGER story_entry_fts_delete", "DROP TRIGGER story_entry_fts_update",
    "DROP TRIGGER story_entry_fts_insert", "DROP TABLE case_fts", "DROP TABLE story_fts",
]


def upgrade() -> None:
    for sql in STATEMENTS + BACKFILL:
        op.execute(sql)


def downgrade() -> None:
    for sql in DROPS:
        op.execute(sql)
