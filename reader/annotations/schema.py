"""Schema of the annotations database and the explicit migrations between its versions.

`PRAGMA user_version` holds the version of a file. A new file runs every step from 0, so each
migration is exercised on every fresh database as well as by the tests on old files. Never edit a
released step; add the next one.

- v1: one `annotations` table; section as one 'briefing/section' key, tags comma-separated.
- v2: briefing and section ids split (indexed), tags in their own table (cascading deletes via
      foreign keys), read marks per section with the fingerprint of the text that was read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

V1_SCHEMA = """
CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    section_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    color TEXT,
    quote TEXT,
    prefix TEXT,
    suffix TEXT,
    start_offset INTEGER,
    end_offset INTEGER,
    note TEXT,
    tags TEXT,
    fingerprint TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
"""

V2_SCHEMA = """
CREATE TABLE annotation (
    id TEXT PRIMARY KEY,
    briefing_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('highlight', 'note', 'bookmark')),
    color TEXT NOT NULL DEFAULT 'yellow',
    quote TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start_offset INTEGER NOT NULL DEFAULT 0,
    end_offset INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX annotation_by_section ON annotation (briefing_id, section_id);
CREATE TABLE annotation_tag (
    annotation_id TEXT NOT NULL REFERENCES annotation (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (annotation_id, tag)
) WITHOUT ROWID;
CREATE TABLE read_mark (
    briefing_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (briefing_id, section_id)
) WITHOUT ROWID;
"""


def _execute_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the caller's transaction; run statement by statement instead.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def to_v1(conn: sqlite3.Connection) -> None:
    _execute_script(conn, V1_SCHEMA)


def to_v2(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT id, section_key, kind, color, quote, prefix, suffix, start_offset, end_offset,"
        " note, tags, fingerprint, created, modified FROM annotations"
    ).fetchall()
    _execute_script(conn, V2_SCHEMA)
    for row in rows:
        (aid, key, kind, color, quote, prefix, suffix, start, end, note, tags, fp,
         created, modified) = row
        briefing_id, _, section_id = (key or "").rpartition("/")
        conn.execute(
            "INSERT INTO annotation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, briefing_id, section_id, kind, color or "yellow", quote or "", prefix or "",
             suffix or "", start or 0, end or 0, note or "", fp or "", created, modified),
        )
        for tag in {t.strip() for t in (tags or "").split(",") if t.strip()}:
            conn.execute("INSERT INTO annotation_tag VALUES (?, ?)", (aid, tag))
    conn.execute("DROP TABLE annotations")


# version -> the step that brings a file from version-1 to version
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: to_v1, 2: to_v2}
SCHEMA_VERSION = max(MIGRATIONS)
