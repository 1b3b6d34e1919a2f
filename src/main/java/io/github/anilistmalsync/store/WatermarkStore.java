package io.github.anilistmalsync.store;

import io.github.anilistmalsync.sync.Watermark;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Live sync's watermarks: per service and type, how far the change pages have been read. */
public final class WatermarkStore {
  private final Database database;

  WatermarkStore(Database database) {
    this.database = database;
  }

  /** Every stored watermark, keyed "service/TYPE" (service: anilist or mal). */
  public Future<Map<String, Watermark>> read() {
    return database.tx("read the live watermarks", db -> {
      Map<String, Watermark> out = new HashMap<>();
      try (PreparedStatement ps = db.prepareStatement("SELECT service, type, at_second, seen_ids FROM live_watermark");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Set<String> seen = new HashSet<>();
          new JsonArray(rs.getString(4)).forEach(o -> seen.add(String.valueOf(o)));
          out.put(rs.getString(1) + "/" + rs.getString(2), new Watermark(rs.getLong(3), seen));
        }
      }
      return out;
    });
  }

  /** Stores watermarks keyed as {@link #read()} answers them, in one transaction. */
  public Future<Void> save(Map<String, Watermark> marks) {
    if (marks.isEmpty()) return Future.succeededFuture();
    return database.tx("record the live watermarks", db -> {
      try (PreparedStatement ps = db.prepareStatement(
          "INSERT OR REPLACE INTO live_watermark (service, type, at_second, seen_ids) VALUES (?, ?, ?, ?)")) {
        for (var e : marks.entrySet()) {
          String[] key = e.getKey().split("/", 2);
          ps.setString(1, key[0]);
          ps.setString(2, key[1]);
          ps.setLong(3, e.getValue().atSecond());
          ps.setString(4, new JsonArray(new ArrayList<>(new TreeSet<>(e.getValue().seen()))).encode());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }
}
