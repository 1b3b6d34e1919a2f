package io.github.anilistmalsync.store;

import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Baseline;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Refusal;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Tombstone;
import io.github.anilistmalsync.sync.core.Unmapped;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
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
 * What the store knows about pairs: which MAL id goes with which AniList media (pins, ignores, lookups), the entries
 * that could not be paired, each pair's baseline, the tombstones of deletions, and the notes kept in
 * {@link PairNotes} (pairs held apart, refusals, settle requests).
 */
public final class PairStore {
  /** Unmapped MAL entries are looked up again at most this often. */
  public static final Duration LOOKUP_RETRY = Duration.ofDays(1);

  /** The user's and the lookups' MAL id → AniList id decisions for one type. */
  public record Mappings(Map<MalId, AniListMediaId> pinned, Set<MalId> ignored, Map<MalId, AniListMediaId> lookedUp) {}

  /** What the planner needs from earlier runs of one type. */
  public record SyncState(List<Baseline> baselines, List<Tombstone> tombstones, List<Refusal> refusals, Map<MalId, Side> settle) {}

  private final Database database;

  PairStore(Database database) {
    this.database = database;
  }

  // ---- mappings and unmapped entries -----------------------------------------------------------------------

  public Future<Mappings> mappings(MediaType type) {
    return database.tx("read the mappings", db -> {
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
    return database.tx("pin the mapping", db -> {
      upsertMapping(db, type, malId, aniListId, "pinned", now);
      deleteUnmapped(db, type, Side.MAL, List.of(malId.value()));
      return null;
    });
  }

  /** Marks a MAL entry as one to leave alone. */
  public Future<Void> ignore(MediaType type, MalId malId, Instant now) {
    return database.tx("ignore the entry", db -> {
      upsertMapping(db, type, malId, null, "ignored", now);
      deleteUnmapped(db, type, Side.MAL, List.of(malId.value()));
      return null;
    });
  }

  public Future<Void> removeMapping(MediaType type, MalId malId) {
    return database.tx("remove the mapping", db -> {
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
    return database.tx("read the lookup times", db -> {
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
    return database.tx("record the lookups", db -> {
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

  /** The entries that could not be paired, newest first. */
  public Future<List<UnmappedRecord>> unmapped() {
    return database.tx("read the unmapped entries", db -> {
      List<UnmappedRecord> out = new ArrayList<>();
      try (Statement s = db.createStatement();
           ResultSet rs = s.executeQuery("SELECT type, side, id, title, reason, first_seen, last_tried FROM unmapped WHERE reason IS NOT NULL ORDER BY first_seen DESC, id")) {
        while (rs.next()) {
          String lastTried = rs.getString(7);
          out.add(new UnmappedRecord(MediaType.valueOf(rs.getString(1)), Side.valueOf(rs.getString(2)), rs.getInt(3),
              rs.getString(4), rs.getString(5), Instant.parse(rs.getString(6)), lastTried == null ? null : Instant.parse(lastTried)));
        }
      }
      return out;
    });
  }

  /** Replaces a type's unmapped entries with those of a sync plan, keeping when each was first seen. */
  public Future<Void> recordUnmapped(Plan plan, Instant now) {
    return database.tx("record the unmapped entries", db -> {
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
    return database.tx("read the baselines", db -> {
      List<Baseline> baselines = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, anilist_media_id, anilist_state, mal_state, synced_at, note FROM baseline WHERE type = ?")) {
        ps.setString(1, type.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            baselines.add(new Baseline(new PairKey(type, new MalId(rs.getInt(1)), new AniListMediaId(rs.getInt(2))),
                CoreJson.neutral(new JsonObject(rs.getString(3))), CoreJson.neutral(new JsonObject(rs.getString(4))),
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
    return database.tx("record the baselines", db -> {
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

  static void upsertBaseline(Connection db, Baseline b) throws SQLException {
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
      ps.setString(4, CoreJson.neutral(b.anilist()).encode());
      ps.setString(5, CoreJson.neutral(b.mal()).encode());
      ps.setString(6, b.syncedAt().toString());
      ps.setString(7, b.note());
      ps.executeUpdate();
    }
  }

  static void dropBaseline(Connection db, PairKey key) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM baseline WHERE type = ? AND mal_id = ?")) {
      ps.setString(1, key.type().name());
      ps.setInt(2, key.malId().value());
      ps.executeUpdate();
    }
  }

  // ---- held-apart pairs, refusals, settle requests (PairNotes) ------------------------------------------------

  /** Remembers a value (or a whole entry) a service refused, so it is not sent again unchanged. */
  public Future<Void> recordRefusal(Refusal refusal) {
    return database.tx("record a refusal", db -> {
      PairNotes.recordRefusal(db, refusal);
      return null;
    });
  }

  /** Replaces the type's held-apart pairs with the plan's, and forgets the settle requests the plan has used. */
  public Future<Void> recordHeldApart(Plan plan, Instant now) {
    return database.tx("record the pairs held apart", db -> {
      PairNotes.replaceHeldApart(db, plan, now);
      return null;
    });
  }

  /** Every pair held apart, both types, oldest first. */
  public Future<List<PairNotes.Held>> heldApart() {
    return database.tx("read the pairs held apart", PairNotes::heldApart);
  }

  /** The user's choice of which side's values to keep for a pair held apart; used by the type's next sync. */
  public Future<Boolean> requestSettle(MediaType type, MalId malId, Side keep, Instant now) {
    return database.tx("record the request to settle", db -> PairNotes.requestSettle(db, type, malId, keep, now));
  }

}
