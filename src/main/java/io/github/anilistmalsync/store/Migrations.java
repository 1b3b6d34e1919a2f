package io.github.anilistmalsync.store;

import java.util.List;

/**
 * The state store's schema, one entry per version, applied in order at open. Never edit a released entry: add the
 * next one. States, plans and counts are JSON columns, which keeps the schema small while the records evolve.
 */
final class Migrations {
  private Migrations() {}

  static final List<List<String>> VERSIONS = List.of(
      // v1
      List.of(
          """
          CREATE TABLE baseline (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL,
            anilist_state TEXT NOT NULL, mal_state TEXT NOT NULL, synced_at TEXT NOT NULL,
            PRIMARY KEY (type, mal_id), UNIQUE (type, anilist_media_id))""",
          """
          CREATE TABLE mapping (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER,
            source TEXT NOT NULL CHECK (source IN ('lookup', 'pinned', 'ignored')), updated_at TEXT NOT NULL,
            PRIMARY KEY (type, mal_id))""",
          """
          CREATE TABLE unmapped (
            type TEXT NOT NULL, side TEXT NOT NULL, id INTEGER NOT NULL, title TEXT, reason TEXT,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, last_tried TEXT,
            PRIMARY KEY (type, side, id))""",
          """
          CREATE TABLE run (
            id TEXT PRIMARY KEY, trigger TEXT NOT NULL, mode TEXT NOT NULL, dry_run INTEGER NOT NULL, types TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT, result TEXT, summary TEXT)""",
          """
          CREATE TABLE run_plan (
            run_id TEXT NOT NULL REFERENCES run(id), type TEXT NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (run_id, type))""",
          """
          CREATE TABLE operation (
            run_id TEXT NOT NULL REFERENCES run(id), seq INTEGER NOT NULL, type TEXT NOT NULL, side TEXT NOT NULL,
            kind TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL, title TEXT, body TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('planned', 'applied', 'failed', 'skipped')), response TEXT, error TEXT,
            done_at TEXT, PRIMARY KEY (run_id, seq))""",
          "CREATE INDEX operation_key ON operation (type, mal_id)",
          """
          CREATE TABLE tombstone (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL, side TEXT NOT NULL,
            deleted_at TEXT NOT NULL, PRIMARY KEY (type, mal_id))""",
          """
          CREATE TABLE conflict (
            run_id TEXT NOT NULL REFERENCES run(id), type TEXT NOT NULL, mal_id INTEGER NOT NULL, title TEXT,
            unit TEXT NOT NULL, anilist_value TEXT, mal_value TEXT, winner TEXT, reason TEXT, at TEXT NOT NULL)""",
          "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
      // v2: pairs held apart (and why), values the services refused, and the user's requests to settle a pair
      List.of(
          "ALTER TABLE baseline ADD COLUMN note TEXT",
          """
          CREATE TABLE refusal (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL, side TEXT NOT NULL,
            unit TEXT NOT NULL, value TEXT, reason TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (type, mal_id, side, unit))""",
          """
          CREATE TABLE held_apart (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL, title TEXT,
            differences TEXT NOT NULL, reason TEXT, since TEXT NOT NULL, PRIMARY KEY (type, mal_id))""",
          """
          CREATE TABLE settle (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, keep TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (type, mal_id))"""),
      // v3: live sync's watermarks: per service and type, the newest update time seen (the service's own clock)
      // and the entries already carried that share that second
      List.of(
          """
          CREATE TABLE live_watermark (
            service TEXT NOT NULL, type TEXT NOT NULL, at_second INTEGER NOT NULL, seen_ids TEXT NOT NULL,
            PRIMARY KEY (service, type))"""),
      // v4: the Library: every entry of both lists as the last sync of its type read it, one row per pair or
      // one-sided entry (mal_id or anilist_media_id 0 when that side has none), with the state it left it in; and
      // pins found by AniList id, so an AniList entry without a MAL id shows the pin made for it
      List.of(
          """
          CREATE TABLE library_entry (
            type TEXT NOT NULL, mal_id INTEGER NOT NULL, anilist_media_id INTEGER NOT NULL, title TEXT NOT NULL,
            search TEXT NOT NULL, state TEXT NOT NULL, anilist_state TEXT, mal_state TEXT, total INTEGER,
            private INTEGER NOT NULL, differences TEXT NOT NULL, next TEXT, note TEXT, run_id TEXT, seen_at TEXT NOT NULL,
            PRIMARY KEY (type, mal_id, anilist_media_id))""",
          "CREATE INDEX library_entry_title ON library_entry (search, type, mal_id, anilist_media_id)",
          "CREATE INDEX library_entry_state ON library_entry (state, type)",
          "CREATE INDEX library_entry_anilist ON library_entry (type, anilist_media_id)",
          "CREATE INDEX mapping_anilist ON mapping (type, anilist_media_id)"));
}
