package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.Baseline;
import io.github.anilistmalsync.sync.Conflict;
import io.github.anilistmalsync.sync.NeutralState;
import io.github.anilistmalsync.sync.Operation;
import io.github.anilistmalsync.sync.PairKey;
import io.github.anilistmalsync.sync.Plan;
import io.github.anilistmalsync.sync.Refusal;
import io.github.anilistmalsync.sync.Side;
import io.github.anilistmalsync.sync.Tombstone;
import io.github.anilistmalsync.sync.Unmapped;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.github.anilistmalsync.files.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQLite state store ({@code data/state.db}): baselines, mappings, unmapped entries, tombstones, runs with their
 * plans, operations and conflicts, and a few settings. The only class that touches the database. One connection,
 * used from one worker thread, so statements never block an event loop and never interleave; every method that
 * writes does so in one transaction.
 */
public final class StateStore {
  /** Unmapped MAL entries are looked up again at most this often. */
  public static final Duration LOOKUP_RETRY = Duration.ofDays(1);

  /** The user's and the lookups' MAL id → AniList id decisions for one type. */
  public record Mappings(Map<MalId, AniListMediaId> pinned, Set<MalId> ignored, Map<MalId, AniListMediaId> lookedUp) {}

  /** What the planner needs from the store for one type. */
  /** What the planner needs from earlier runs of one type. */
  public record SyncState(List<Baseline> baselines, List<Tombstone> tombstones, List<Refusal> refusals, Map<MalId, Side> settle) {}

  private final WorkerExecutor worker;
  private final Connection db;

  private StateStore(WorkerExecutor worker, Connection db) {
    this.worker = worker;
    this.db = db;
  }

  /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
  public static Future<StateStore> open(Vertx vertx, Path file) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("state-store-" + file.toAbsolutePath(), 1);
    return worker.executeBlocking(() -> {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) AtomicFiles.createPrivateDirectory(parent);
        // SQLite gives its -wal and -shm files the database file's mode, so a private database keeps them private.
        if (!Files.exists(file)) AtomicFiles.createOwnerOnly(file);
        else AtomicFiles.makePrivate(file);
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL");
          s.execute("PRAGMA busy_timeout=5000");
          s.execute("PRAGMA foreign_keys=ON");
        }
        migrate(db);
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
          AtomicFiles.makePrivate(file.resolveSibling(file.getFileName() + suffix));
        }
        return new StateStore(worker, db);
      } catch (Exception e) {
        throw new IllegalStateException("could not open the state store " + file + ": " + e.getMessage(), e);
      }
    }, true).onFailure(e -> worker.close());
  }

  private static void migrate(Connection db) throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int version;
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > Migrations.VERSIONS.size()) {
        throw new SQLException("the state store is from a newer version of anilist-mal-sync (schema " + version
            + ", this version knows " + Migrations.VERSIONS.size() + "); upgrade the service or restore a backup");
      }
      for (int v = version; v < Migrations.VERSIONS.size(); v++) {
        for (String sql : Migrations.VERSIONS.get(v)) s.execute(sql);
        s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  public Future<Void> close() {
    return worker.<Void>executeBlocking(() -> {
      db.close();
      return null;
    }, true).eventually(worker::close);
  }

  /** A unit of work on the connection, in one transaction (also the other stores' of this package, on this connection). */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection db) throws Exception;
  }

  <T> Future<T> tx(String what, Work<T> work) {
    return worker.executeBlocking(() -> {
      synchronized (db) {
        db.setAutoCommit(false);
        try {
          T result = work.run(db);
          db.commit();
          return result;
        } catch (Exception e) {
          db.rollback();
          throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        } finally {
          db.setAutoCommit(true);
        }
      }
    }, true);
  }

  // ---- mappings and unmapped entries -----------------------------------------------------------------------

  public Future<Mappings> mappings(MediaType type) {
    return tx("read the mappings", db -> {
      Map<MalId, AniListMediaId> pinned = new HashMap<>();
      Set<MalId> ignored = new HashSet<>();
      Map<MalId, AniListMediaId> lookedUp = new HashMap<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, anilist_media_id, source FROM mapping WHERE type = ?")) {
        ps.setString(1, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            MalId mal = new MalId(rs.getInt(1));
            int ani = rs.getInt(2);
            switch (rs.getString(3)) {
              case "pinned" -> pinned.put(mal, new AniListMediaId(ani));
              case "ignored" -> ignored.add(mal);
              default -> lookedUp.put(mal, new AniListMediaId(ani));
            }
          }
        }
      }
      return new Mappings(pinned, ignored, lookedUp);
    });
  }

  /** Pins a MAL id to an AniList media id (the user's decision beats any lookup). */
  public Future<Void> pin(MediaType type, MalId malId, AniListMediaId aniListId, Instant now) {
    return tx("pin the mapping", db -> {
      upsertMapping(db, type, malId, aniListId, "pinned", now);
      deleteUnmapped(db, type, Side.MAL, List.of(malId.value()));
      return null;
    });
  }

  /** Marks a MAL entry as one to leave alone. */
  public Future<Void> ignore(MediaType type, MalId malId, Instant now) {
    return tx("ignore the entry", db -> {
      upsertMapping(db, type, malId, null, "ignored", now);
      deleteUnmapped(db, type, Side.MAL, List.of(malId.value()));
      return null;
    });
  }

  public Future<Void> removeMapping(MediaType type, MalId malId) {
    return tx("remove the mapping", db -> {
      try (PreparedStatement ps = db.prepareStatement("DELETE FROM mapping WHERE type = ? AND mal_id = ?")) {
        ps.setString(1, type.name());
        ps.setInt(2, malId.value());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The candidates that were never looked up, or not in the last day: repeated syncs spend no requests on the rest. */
  public Future<List<MalId>> dueForLookup(MediaType type, List<MalId> candidates, Instant now) {
    if (candidates.isEmpty()) return Future.succeededFuture(List.of());
    return tx("read the lookup times", db -> {
      Map<Integer, Instant> tried = new HashMap<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT id, last_tried FROM unmapped WHERE type = ? AND side = 'MAL' AND last_tried IS NOT NULL")) {
        ps.setString(1, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) tried.put(rs.getInt(1), Instant.parse(rs.getString(2)));
        }
      }
      List<MalId> due = new ArrayList<>();
      for (MalId id : candidates) {
        Instant last = tried.get(id.value());
        if (last == null || !last.plus(LOOKUP_RETRY).isAfter(now)) due.add(id);
      }
      return due;
    });
  }

  /** Keeps what a lookup found, and when each asked id was tried (so a miss is not asked again for a day). */
  public Future<Void> recordLookups(MediaType type, List<AniListMedia> found, List<MalId> asked, Instant now) {
    if (asked.isEmpty()) return Future.succeededFuture();
    return tx("record the lookups", db -> {
      for (AniListMedia m : found) {
        if (m.idMal() != null) upsertMapping(db, type, m.idMal(), m.id(), "lookup", now);
      }
      try (PreparedStatement ps = db.prepareStatement("""
          INSERT INTO unmapped (type, side, id, title, reason, first_seen, last_seen, last_tried) VALUES (?, 'MAL', ?, NULL, NULL, ?, ?, ?)
          ON CONFLICT (type, side, id) DO UPDATE SET last_tried = excluded.last_tried""")) {
        for (MalId id : asked) {
          ps.setString(1, type.name());
          ps.setInt(2, id.value());
          ps.setString(3, now.toString());
          ps.setString(4, now.toString());
          ps.setString(5, now.toString());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static void upsertMapping(Connection db, MediaType type, MalId malId, AniListMediaId aniId, String source, Instant now) throws SQLException {
    String sql = """
        INSERT INTO mapping (type, mal_id, anilist_media_id, source, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (type, mal_id) DO UPDATE SET anilist_media_id = excluded.anilist_media_id, source = excluded.source,
          updated_at = excluded.updated_at
        """ + ("lookup".equals(source) ? " WHERE mapping.source = 'lookup'" : "");
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, type.name());
      ps.setInt(2, malId.value());
      if (aniId == null) ps.setNull(3, java.sql.Types.INTEGER);
      else ps.setInt(3, aniId.value());
      ps.setString(4, source);
      ps.setString(5, now.toString());
      ps.executeUpdate();
    }
  }

  /** The entries that could not be paired, newest first: {type, side, id, title, reason, firstSeen, lastTried}. */
  public Future<JsonArray> unmapped() {
    return tx("read the unmapped entries", db -> {
      JsonArray out = new JsonArray();
      try (Statement s = db.createStatement();
           ResultSet rs = s.executeQuery("SELECT type, side, id, title, reason, first_seen, last_tried FROM unmapped WHERE reason IS NOT NULL ORDER BY first_seen DESC, id")) {
        while (rs.next()) {
          out.add(new JsonObject().put("type", rs.getString(1)).put("side", rs.getString(2)).put("id", rs.getInt(3))
              .put("title", rs.getString(4)).put("reason", rs.getString(5)).put("firstSeen", rs.getString(6))
              .put("lastTried", rs.getString(7)));
        }
      }
      return out;
    });
  }

  private static void deleteUnmapped(Connection db, MediaType type, Side side, Collection<Integer> ids) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM unmapped WHERE type = ? AND side = ? AND id = ?")) {
      for (int id : ids) {
        ps.setString(1, type.name());
        ps.setString(2, side.name());
        ps.setInt(3, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ---- baselines and tombstones ----------------------------------------------------------------------------

  public Future<SyncState> syncState(MediaType type) {
    return tx("read the baselines", db -> {
      List<Baseline> baselines = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, anilist_media_id, anilist_state, mal_state, synced_at, note FROM baseline WHERE type = ?")) {
        ps.setString(1, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            baselines.add(new Baseline(new PairKey(type, new MalId(rs.getInt(1)), new AniListMediaId(rs.getInt(2))),
                NeutralState.fromJson(new JsonObject(rs.getString(3))), NeutralState.fromJson(new JsonObject(rs.getString(4))),
                Instant.parse(rs.getString(5)), rs.getString(6)));
          }
        }
      }
      List<Tombstone> tombstones = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, anilist_media_id, side, deleted_at FROM tombstone WHERE type = ?")) {
        ps.setString(1, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tombstones.add(new Tombstone(new PairKey(type, new MalId(rs.getInt(1)), new AniListMediaId(rs.getInt(2))),
                Side.valueOf(rs.getString(3)), Instant.parse(rs.getString(4))));
          }
        }
      }
      return new SyncState(baselines, tombstones, PairNotes.refusals(db, type), PairNotes.settleRequests(db, type));
    });
  }

  /** Records what the plan decided that needs no write: baselines of pairs already equal, re-keys, tombstones. */
  public Future<Void> recordQuietPairs(Plan plan) {
    return tx("record the baselines", db -> {
      for (PairKey key : plan.baselinesToDrop()) dropBaseline(db, key);
      for (Baseline b : plan.baselinesToRecord()) upsertBaseline(db, b);
      try (PreparedStatement clear = db.prepareStatement("DELETE FROM tombstone WHERE type = ? AND mal_id = ?")) {
        for (PairKey key : plan.tombstonesToClear()) {
          clear.setString(1, key.type().name());
          clear.setInt(2, key.malId().value());
          clear.addBatch();
        }
        clear.executeBatch();
      }
      try (PreparedStatement add = db.prepareStatement("INSERT OR REPLACE INTO tombstone (type, mal_id, anilist_media_id, side, deleted_at) VALUES (?, ?, ?, ?, ?)")) {
        for (Tombstone t : plan.tombstonesToAdd()) {
          add.setString(1, t.key().type().name());
          add.setInt(2, t.key().malId().value());
          add.setInt(3, t.key().aniListId().value());
          add.setString(4, t.deletedOn().name());
          add.setString(5, t.deletedAt().toString());
          add.addBatch();
        }
        add.executeBatch();
      }
      return null;
    });
  }

  private static void upsertBaseline(Connection db, Baseline b) throws SQLException {
    // a re-keyed pair: its old row (same AniList id, other MAL id) goes
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM baseline WHERE type = ? AND anilist_media_id = ? AND mal_id <> ?")) {
      ps.setString(1, b.key().type().name());
      ps.setInt(2, b.key().aniListId().value());
      ps.setInt(3, b.key().malId().value());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO baseline (type, mal_id, anilist_media_id, anilist_state, mal_state, synced_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, b.key().type().name());
      ps.setInt(2, b.key().malId().value());
      ps.setInt(3, b.key().aniListId().value());
      ps.setString(4, b.anilist().toJson().encode());
      ps.setString(5, b.mal().toJson().encode());
      ps.setString(6, b.syncedAt().toString());
      ps.setString(7, b.note());
      ps.executeUpdate();
    }
  }

  private static void dropBaseline(Connection db, PairKey key) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM baseline WHERE type = ? AND mal_id = ?")) {
      ps.setString(1, key.type().name());
      ps.setInt(2, key.malId().value());
      ps.executeUpdate();
    }
  }

  // ---- runs, plans, operations, conflicts ------------------------------------------------------------------

  public Future<Void> startRun(String runId, JsonObject request, String mode, Instant startedAt) {
    return tx("record the start of the run", db -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO run (id, trigger, mode, dry_run, types, started_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, runId);
        ps.setString(2, request.getString("trigger", "manual"));
        ps.setString(3, mode);
        ps.setInt(4, request.getBoolean("dryRun", false) ? 1 : 0);
        ps.setString(5, request.getJsonArray("types", new JsonArray()).encode());
        ps.setString(6, startedAt.toString());
        ps.executeUpdate();
      }
      return null;
    });
  }

  public Future<Void> finishRun(String runId, JsonObject summary) {
    return tx("record the end of the run", db -> {
      try (PreparedStatement ps = db.prepareStatement("UPDATE run SET finished_at = ?, result = ?, summary = ? WHERE id = ?")) {
        ps.setString(1, summary.getString("finishedAt"));
        ps.setString(2, summary.getString("result"));
        ps.setString(3, summary.encode());
        ps.setString(4, runId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Records a type's plan before anything is sent: the plan, each operation as "planned" (so a crash leaves a record
   * of what was meant), and the conflicts. Answers the sequence number of the
   * plan's first operation; the others follow in order.
   */
  public Future<Integer> recordPlan(String runId, Plan plan, Instant now) {
    return tx("record the plan", db -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO run_plan (run_id, type, plan) VALUES (?, ?, ?)")) {
        ps.setString(1, runId);
        ps.setString(2, plan.type().name());
        ps.setString(3, plan.toJson().encode());
        ps.executeUpdate();
      }
      int first;
      try (PreparedStatement ps = db.prepareStatement("SELECT coalesce(max(seq), -1) + 1 FROM operation WHERE run_id = ?")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          first = rs.getInt(1);
        }
      }
      try (PreparedStatement ps = db.prepareStatement("""
          INSERT INTO operation (run_id, seq, type, side, kind, mal_id, anilist_media_id, title, body, status)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned')""")) {
        int seq = first;
        for (Operation op : plan.operations()) {
          ps.setString(1, runId);
          ps.setInt(2, seq++);
          ps.setString(3, plan.type().name());
          ps.setString(4, op.target().name());
          ps.setString(5, op.kind().name());
          ps.setInt(6, op.key().malId().value());
          ps.setInt(7, op.key().aniListId().value());
          ps.setString(8, op.title());
          ps.setString(9, op.toJson().encode());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = db.prepareStatement("""
          INSERT INTO conflict (run_id, type, mal_id, title, unit, anilist_value, mal_value, winner, reason, at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        for (Conflict c : plan.conflicts()) {
          ps.setString(1, runId);
          ps.setString(2, plan.type().name());
          ps.setInt(3, c.key().malId().value());
          ps.setString(4, c.title());
          ps.setString(5, c.unit());
          ps.setString(6, c.anilistValue());
          ps.setString(7, c.malValue());
          ps.setString(8, c.winner() == null ? null : c.winner().name());
          ps.setString(9, c.reason());
          ps.setString(10, now.toString());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return first;
    });
  }

  /** Replaces a type's unmapped entries with those of a sync plan, keeping when each was first seen. */
  public Future<Void> recordUnmapped(Plan plan, Instant now) {
    return tx("record the unmapped entries", db -> {
      replaceUnmapped(db, plan, now);
      return null;
    });
  }

  private static void replaceUnmapped(Connection db, Plan plan, Instant now) throws SQLException {
    String type = plan.type().name();
    try (PreparedStatement ps = db.prepareStatement("UPDATE unmapped SET reason = NULL WHERE type = ?")) {
      ps.setString(1, type);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = db.prepareStatement("""
        INSERT INTO unmapped (type, side, id, title, reason, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (type, side, id) DO UPDATE SET title = excluded.title, reason = excluded.reason, last_seen = excluded.last_seen""")) {
      for (Unmapped u : plan.unmapped()) {
        ps.setString(1, type);
        ps.setString(2, u.side().name());
        ps.setInt(3, u.id());
        ps.setString(4, u.title());
        ps.setString(5, u.reason());
        ps.setString(6, now.toString());
        ps.setString(7, now.toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * A write was answered: marks it applied and, in the same transaction, records the pair's new baseline (or drops
   * it after a delete), so a crash can never leave one without the other.
   */
  public Future<Void> markApplied(String runId, int seq, JsonObject response, Baseline newBaseline, PairKey dropped, Instant now) {
    return tx("record an applied write", db -> {
      setStatus(db, runId, seq, "applied", response == null ? null : response.encode(), null, now);
      if (newBaseline != null) upsertBaseline(db, newBaseline);
      if (dropped != null) dropBaseline(db, dropped);
      return null;
    });
  }

  public Future<Void> markFailed(String runId, int seq, String error, Instant now) {
    return tx("record a failed write", db -> {
      setStatus(db, runId, seq, "failed", null, error, now);
      return null;
    });
  }

  public Future<Void> markSkipped(String runId, int seq, String reason, Instant now) {
    return tx("record a skipped write", db -> {
      setStatus(db, runId, seq, "skipped", null, reason, now);
      return null;
    });
  }

  private static void setStatus(Connection db, String runId, int seq, String status, String response, String error, Instant now) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("UPDATE operation SET status = ?, response = ?, error = ?, done_at = ? WHERE run_id = ? AND seq = ?")) {
      ps.setString(1, status);
      ps.setString(2, response);
      ps.setString(3, error);
      ps.setString(4, now.toString());
      ps.setString(5, runId);
      ps.setInt(6, seq);
      ps.executeUpdate();
    }
  }

  /** How much the service has done: {runs, entriesChanged} (writes applied, undo runs included). */
  public Future<JsonObject> totals() {
    return tx("count the runs", db -> {
      JsonObject out = new JsonObject();
      try (PreparedStatement ps = db.prepareStatement(
          "SELECT (SELECT count(*) FROM run), (SELECT count(*) FROM operation WHERE status = 'applied')");
           ResultSet rs = ps.executeQuery()) {
        rs.next();
        out.put("runs", rs.getLong(1)).put("entriesChanged", rs.getLong(2));
      }
      return out;
    });
  }

  /** Runs, newest first: {id, trigger, mode, dryRun, startedAt, finishedAt, result, summary}. */
  public Future<JsonArray> runs(int limit) {
    return tx("read the runs", db -> {
      JsonArray out = new JsonArray();
      try (PreparedStatement ps = db.prepareStatement("SELECT id, trigger, mode, dry_run, started_at, finished_at, result, summary FROM run ORDER BY started_at DESC, id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(runJson(rs));
        }
      }
      return out;
    });
  }

  /** One run with its operations ({seq, type, side, kind, title, operation, status, response, error}); null if unknown. */
  public Future<JsonObject> run(String runId) {
    return tx("read the run", db -> {
      JsonObject run = null;
      try (PreparedStatement ps = db.prepareStatement("SELECT id, trigger, mode, dry_run, started_at, finished_at, result, summary FROM run WHERE id = ?")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) run = runJson(rs);
        }
      }
      if (run == null) return null;
      JsonArray ops = new JsonArray();
      try (PreparedStatement ps = db.prepareStatement("SELECT seq, type, side, kind, title, body, status, response, error FROM operation WHERE run_id = ? ORDER BY seq")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ops.add(new JsonObject().put("seq", rs.getInt(1)).put("type", rs.getString(2)).put("side", rs.getString(3))
                .put("kind", rs.getString(4)).put("title", rs.getString(5)).put("operation", new JsonObject(rs.getString(6)))
                .put("status", rs.getString(7)).put("response", rs.getString(8) == null ? null : new JsonObject(rs.getString(8)))
                .put("error", rs.getString(9)));
          }
        }
      }
      JsonObject plans = new JsonObject();
      try (PreparedStatement ps = db.prepareStatement("SELECT type, plan FROM run_plan WHERE run_id = ?")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) plans.put(rs.getString(1), new JsonObject(rs.getString(2)));
        }
      }
      return run.put("operations", ops).put("plans", plans);
    });
  }

  /** The writes a run applied for one type, in the order they were planned, with the services' answers. */
  public Future<List<io.github.anilistmalsync.sync.UndoPlanner.Applied>> appliedOperations(String runId, MediaType type) {
    return tx("read the run's writes", db -> {
      List<io.github.anilistmalsync.sync.UndoPlanner.Applied> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT body, response FROM operation WHERE run_id = ? AND type = ? AND status = 'applied' ORDER BY seq")) {
        ps.setString(1, runId);
        ps.setString(2, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String response = rs.getString(2);
            out.add(new io.github.anilistmalsync.sync.UndoPlanner.Applied(Operation.fromJson(new JsonObject(rs.getString(1))),
                response == null ? null : new JsonObject(response)));
          }
        }
      }
      return out;
    });
  }

  /** The types a run wrote to. */
  public Future<List<MediaType>> typesWritten(String runId) {
    return tx("read the run's types", db -> {
      List<MediaType> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT type FROM operation WHERE run_id = ? AND status = 'applied' ORDER BY type")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(MediaType.valueOf(rs.getString(1)));
        }
      }
      return out;
    });
  }

  /** The id of the newest run that applied at least one write, or null. */
  public Future<String> lastRunThatWrote() {
    return tx("find the last run that wrote", db -> {
      try (Statement s = db.createStatement();
           ResultSet rs = s.executeQuery("SELECT r.id FROM run r WHERE EXISTS (SELECT 1 FROM operation o WHERE o.run_id = r.id AND o.status = 'applied') ORDER BY r.started_at DESC, r.id DESC LIMIT 1")) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }

  /** Conflicts of recent runs, newest first. */
  public Future<JsonArray> recentConflicts(int limit) {
    return tx("read the conflicts", db -> {
      JsonArray out = new JsonArray();
      try (PreparedStatement ps = db.prepareStatement("SELECT run_id, type, mal_id, title, unit, anilist_value, mal_value, winner, reason, at FROM conflict ORDER BY at DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new JsonObject().put("runId", rs.getString(1)).put("type", rs.getString(2)).put("malId", rs.getInt(3))
                .put("title", rs.getString(4)).put("unit", rs.getString(5)).put("anilistValue", rs.getString(6))
                .put("malValue", rs.getString(7)).put("winner", rs.getString(8)).put("reason", rs.getString(9)).put("at", rs.getString(10)));
          }
        }
      }
      return out;
    });
  }

  private static JsonObject runJson(ResultSet rs) throws SQLException {
    String summary = rs.getString(8);
    return new JsonObject().put("id", rs.getString(1)).put("trigger", rs.getString(2)).put("mode", rs.getString(3))
        .put("dryRun", rs.getInt(4) == 1).put("startedAt", rs.getString(5)).put("finishedAt", rs.getString(6))
        .put("result", rs.getString(7)).put("summary", summary == null ? null : new JsonObject(summary));
  }

  // ---- held-apart pairs, refusals, settle requests (PairNotes) ------------------------------------------------

  /** Remembers a value (or a whole entry) a service refused, so it is not sent again unchanged. */
  public Future<Void> recordRefusal(Refusal refusal) {
    return tx("record a refusal", db -> {
      PairNotes.recordRefusal(db, refusal);
      return null;
    });
  }

  /** Replaces the type's held-apart pairs with the plan's, and forgets the settle requests the plan has used. */
  public Future<Void> recordHeldApart(Plan plan, Instant now) {
    return tx("record the pairs held apart", db -> {
      PairNotes.replaceHeldApart(db, plan, now);
      return null;
    });
  }

  /** Every pair held apart, both types, oldest first. */
  public Future<List<PairNotes.Held>> heldApart() {
    return tx("read the pairs held apart", PairNotes::heldApart);
  }

  /** The user's choice of which side's values to keep for a pair held apart; used by the type's next sync. */
  public Future<Boolean> requestSettle(MediaType type, MalId malId, Side keep, Instant now) {
    return tx("record the request to settle", db -> PairNotes.requestSettle(db, type, malId, keep, now));
  }

  // ---- live sync's watermarks --------------------------------------------------------------------------------

  /** Every stored watermark, keyed "service/TYPE" (service: anilist or mal). */
  public Future<java.util.Map<String, io.github.anilistmalsync.sync.Watermark>> watermarks() {
    return tx("read the live watermarks", db -> {
      java.util.Map<String, io.github.anilistmalsync.sync.Watermark> out = new java.util.HashMap<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT service, type, at_second, seen_ids FROM live_watermark");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.util.Set<String> seen = new java.util.HashSet<>();
          new JsonArray(rs.getString(4)).forEach(o -> seen.add(String.valueOf(o)));
          out.put(rs.getString(1) + "/" + rs.getString(2), new io.github.anilistmalsync.sync.Watermark(rs.getLong(3), seen));
        }
      }
      return out;
    });
  }

  /** Stores watermarks keyed as {@link #watermarks()} answers them, in one transaction. */
  public Future<Void> saveWatermarks(java.util.Map<String, io.github.anilistmalsync.sync.Watermark> marks) {
    if (marks.isEmpty()) return Future.succeededFuture();
    return tx("record the live watermarks", db -> {
      try (PreparedStatement ps = db.prepareStatement(
          "INSERT OR REPLACE INTO live_watermark (service, type, at_second, seen_ids) VALUES (?, ?, ?, ?)")) {
        for (var e : marks.entrySet()) {
          String[] key = e.getKey().split("/", 2);
          ps.setString(1, key[0]);
          ps.setString(2, key[1]);
          ps.setLong(3, e.getValue().atSecond());
          ps.setString(4, new JsonArray(new java.util.ArrayList<>(new java.util.TreeSet<>(e.getValue().seen()))).encode());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }
}
