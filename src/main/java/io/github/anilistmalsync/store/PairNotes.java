package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.HeldApart;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Refusal;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the store remembers about pairs besides their baselines: the pairs held apart after the last sync of each
 * type (with why), the values the services refused, and the user's requests to settle a pair. Called by
 * {@link PairStore} inside its transactions, on its one connection.
 */
public final class PairNotes {
  private PairNotes() {}

  /** A pair held apart as the last sync of its type left it, for the pages. */
  public record Held(HeldApart pair, Instant since) {
    /** As the bus carries it: {type, malId, aniListId, title, differences, reason, since}. */
    public JsonObject toJson() {
      return new JsonObject().put("type", pair.key().type().name()).put("malId", pair.key().malId().value())
          .put("aniListId", pair.key().aniListId().value()).put("title", pair.title())
          .put("differences", new JsonArray(pair.differences())).put("reason", pair.reason()).put("since", since.toString());
    }
  }

  static List<Refusal> refusals(Connection db, MediaType type) throws SQLException {
    List<Refusal> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT mal_id, anilist_media_id, side, unit, value, reason, at FROM refusal WHERE type = ?")) {
      ps.setString(1, type.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String unit = rs.getString(4);
          out.add(new Refusal(new PairKey(type, new MalId(rs.getInt(1)), new AniListMediaId(rs.getInt(2))),
              Side.valueOf(rs.getString(3)), unit.isEmpty() ? null : Unit.valueOf(unit), rs.getString(5), rs.getString(6),
              Instant.parse(rs.getString(7))));
        }
      }
    }
    return out;
  }

  static void recordRefusal(Connection db, Refusal r) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(
        "INSERT OR REPLACE INTO refusal (type, mal_id, anilist_media_id, side, unit, value, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.key().type().name());
      ps.setInt(2, r.key().malId().value());
      ps.setInt(3, r.key().aniListId().value());
      ps.setString(4, r.side().name());
      ps.setString(5, r.unit() == null ? "" : r.unit().name());
      ps.setString(6, r.value());
      ps.setString(7, r.reason());
      ps.setString(8, r.at().toString());
      ps.executeUpdate();
    }
  }

  static Map<MalId, Side> settleRequests(Connection db, MediaType type) throws SQLException {
    Map<MalId, Side> out = new HashMap<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, keep FROM settle WHERE type = ?")) {
      ps.setString(1, type.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(new MalId(rs.getInt(1)), Side.valueOf(rs.getString(2)));
      }
    }
    return out;
  }

  /** Answers whether the pair is held apart now (only such a pair can be settled). */
  static boolean requestSettle(Connection db, MediaType type, MalId malId, Side keep, Instant now) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM held_apart WHERE type = ? AND mal_id = ?")) {
      ps.setString(1, type.name());
      ps.setInt(2, malId.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return false;
      }
    }
    try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO settle (type, mal_id, keep, at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, type.name());
      ps.setInt(2, malId.value());
      ps.setString(3, keep.name());
      ps.setString(4, now.toString());
      ps.executeUpdate();
    }
    return true;
  }

  static void replaceHeldApart(Connection db, Plan plan, Instant now) throws SQLException {
    Map<Integer, String> since = new HashMap<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT mal_id, since FROM held_apart WHERE type = ?")) {
      ps.setString(1, plan.type().name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) since.put(rs.getInt(1), rs.getString(2));
      }
    }
    for (String table : List.of("held_apart", "settle")) {
      try (PreparedStatement ps = db.prepareStatement("DELETE FROM " + table + " WHERE type = ?")) {
        ps.setString(1, plan.type().name());
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = db.prepareStatement(
        "INSERT INTO held_apart (type, mal_id, anilist_media_id, title, differences, reason, since) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (HeldApart h : plan.heldApart()) {
        ps.setString(1, plan.type().name());
        ps.setInt(2, h.key().malId().value());
        ps.setInt(3, h.key().aniListId().value());
        ps.setString(4, h.title());
        ps.setString(5, new JsonArray(h.differences()).encode());
        ps.setString(6, h.reason());
        ps.setString(7, since.getOrDefault(h.key().malId().value(), now.toString()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static List<Held> heldApart(Connection db) throws SQLException {
    List<Held> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT type, mal_id, anilist_media_id, title, differences, reason, since FROM held_apart ORDER BY since, title")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          PairKey key = new PairKey(MediaType.valueOf(rs.getString(1)), new MalId(rs.getInt(2)), new AniListMediaId(rs.getInt(3)));
          List<String> differences = new JsonArray(rs.getString(5)).stream().map(String::valueOf).toList();
          out.add(new Held(new HeldApart(key, rs.getString(4), differences, rs.getString(6)), Instant.parse(rs.getString(7))));
        }
      }
    }
    return out;
  }
}
