package io.github.anilistmalsync.store;

import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Baseline;
import io.github.anilistmalsync.sync.core.Conflict;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.UndoPlanner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run journal: every run with its plans, each planned write and what became of it, and the conflicts met. A
 * write is recorded as planned before it is sent, so a crash leaves a record of what was meant.
 */
public final class RunJournal {
  /** How much the service has done: runs, and writes applied (undo runs included). */
  public record Totals(long runs, long entriesChanged) {
    public JsonObject toJson() {
      return new JsonObject().put("runs", runs).put("entriesChanged", entriesChanged);
    }
  }

  private final Database database;

  RunJournal(Database database) {
    this.database = database;
  }

  public Future<Void> startRun(String runId, JsonObject request, String mode, Instant startedAt) {
    return database.tx("record the start of the run", db -> {
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
    return database.tx("record the end of the run", db -> {
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
    return database.tx("record the plan", db -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO run_plan (run_id, type, plan) VALUES (?, ?, ?)")) {
        ps.setString(1, runId);
        ps.setString(2, plan.type().name());
        ps.setString(3, CoreJson.plan(plan).encode());
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
          ps.setString(9, CoreJson.operation(op).encode());
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

  /**
   * A write was answered: marks it applied and, in the same transaction, records the pair's new baseline (or drops
   * it after a delete), so a crash can never leave one without the other.
   */
  public Future<Void> markApplied(String runId, int seq, JsonObject response, Baseline newBaseline, PairKey dropped, Instant now) {
    return database.tx("record an applied write", db -> {
      setStatus(db, runId, seq, "applied", response == null ? null : response.encode(), null, now);
      if (newBaseline != null) PairStore.upsertBaseline(db, newBaseline);
      if (dropped != null) PairStore.dropBaseline(db, dropped);
      return null;
    });
  }

  public Future<Void> markFailed(String runId, int seq, String error, Instant now) {
    return database.tx("record a failed write", db -> {
      setStatus(db, runId, seq, "failed", null, error, now);
      return null;
    });
  }

  public Future<Void> markSkipped(String runId, int seq, String reason, Instant now) {
    return database.tx("record a skipped write", db -> {
      setStatus(db, runId, seq, "skipped", null, reason, now);
      return null;
    });
  }

  /**
   * Marks {@code count} operations from {@code firstSeq} on skipped, with why, in one statement: a plan that will not
   * be sent (a preview, refused by the guard, gone stale) is recorded in one transaction, not one per write.
   */
  public Future<Void> markAllSkipped(String runId, int firstSeq, int count, String reason, Instant now) {
    if (count == 0) return Future.succeededFuture();
    return database.tx("record the skipped writes", db -> {
      try (PreparedStatement ps = db.prepareStatement(
          "UPDATE operation SET status = 'skipped', response = NULL, error = ?, done_at = ? WHERE run_id = ? AND seq >= ? AND seq < ?")) {
        ps.setString(1, reason);
        ps.setString(2, now.toString());
        ps.setString(3, runId);
        ps.setInt(4, firstSeq);
        ps.setInt(5, firstSeq + count);
        ps.executeUpdate();
      }
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

  /** How much the service has done so far. */
  public Future<Totals> totals() {
    return database.tx("count the runs", db -> {
      try (PreparedStatement ps = db.prepareStatement(
          "SELECT (SELECT count(*) FROM run), (SELECT count(*) FROM operation WHERE status = 'applied')");
           ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Totals(rs.getLong(1), rs.getLong(2));
      }
    });
  }

  /** Runs, newest first. */
  public Future<List<RunRecord>> runs(int limit) {
    return database.tx("read the runs", db -> {
      List<RunRecord> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT " + RUN_COLUMNS + " FROM run ORDER BY started_at DESC, id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(runRecord(rs));
        }
      }
      return out;
    });
  }

  /** One run with its writes and plans; null if unknown. */
  public Future<RunDetail> run(String runId) {
    return database.tx("read the run", db -> {
      RunRecord run = null;
      try (PreparedStatement ps = db.prepareStatement("SELECT " + RUN_COLUMNS + " FROM run WHERE id = ?")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) run = runRecord(rs);
        }
      }
      if (run == null) return null;
      List<OperationRecord> ops = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT seq, type, side, kind, title, body, status, response, error FROM operation WHERE run_id = ? ORDER BY seq")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ops.add(new OperationRecord(rs.getInt(1), MediaType.valueOf(rs.getString(2)), Side.valueOf(rs.getString(3)),
                Operation.Kind.valueOf(rs.getString(4)), rs.getString(5), CoreJson.operation(new JsonObject(rs.getString(6))),
                rs.getString(7), json(rs.getString(8)), rs.getString(9)));
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
      return new RunDetail(run, ops, plans);
    });
  }

  /** The writes a run applied for one type, in the order they were planned, with the services' answers. */
  public Future<List<UndoPlanner.Applied>> appliedOperations(String runId, MediaType type) {
    return database.tx("read the run's writes", db -> {
      List<UndoPlanner.Applied> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT body, response FROM operation WHERE run_id = ? AND type = ? AND status = 'applied' ORDER BY seq")) {
        ps.setString(1, runId);
        ps.setString(2, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(CoreJson.applied(new JsonObject(rs.getString(1)), json(rs.getString(2))));
        }
      }
      return out;
    });
  }

  /** The types a run wrote to. */
  public Future<List<MediaType>> typesWritten(String runId) {
    return database.tx("read the run's types", db -> {
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
    return database.tx("find the last run that wrote", db -> {
      try (Statement s = db.createStatement();
           ResultSet rs = s.executeQuery("SELECT r.id FROM run r WHERE EXISTS (SELECT 1 FROM operation o WHERE o.run_id = r.id AND o.status = 'applied') ORDER BY r.started_at DESC, r.id DESC LIMIT 1")) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }

  /** Conflicts of recent runs, newest first. */
  public Future<List<ConflictRecord>> recentConflicts(int limit) {
    return database.tx("read the conflicts", db -> {
      List<ConflictRecord> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT run_id, type, mal_id, title, unit, anilist_value, mal_value, winner, reason, at FROM conflict ORDER BY at DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String winner = rs.getString(8);
            out.add(new ConflictRecord(rs.getString(1), MediaType.valueOf(rs.getString(2)), new MalId(rs.getInt(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), winner == null ? null : Side.valueOf(winner), rs.getString(9),
                Instant.parse(rs.getString(10))));
          }
        }
      }
      return out;
    });
  }

  private static final String RUN_COLUMNS = "id, trigger, mode, dry_run, started_at, finished_at, result, summary";

  private static RunRecord runRecord(ResultSet rs) throws SQLException {
    String finished = rs.getString(6);
    return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, Instant.parse(rs.getString(5)),
        finished == null ? null : Instant.parse(finished), rs.getString(7), json(rs.getString(8)));
  }

  private static JsonObject json(String column) {
    return column == null ? null : new JsonObject(column);
  }
}
