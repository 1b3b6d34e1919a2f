package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.LibraryRows;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.PlanInput;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Library's table ({@code library_entry}): each run's record step writes the rows of the lists it read, and the
 * Library page reads them a page at a time, filtered and searched in SQL, so 10,000 entries cost one indexed query
 * and never a request to the services. Pins and ignores are read live from {@code mapping}, so a pin shows at once.
 * Works on the state store's database, in its transactions.
 */
public final class LibraryStore {
  /** What the Library shows on one page. */
  public static final int PAGE_SIZE = 50;

  private final Database database;
  private final PairStore pairs;

  LibraryStore(Database database, PairStore pairs) {
    this.database = database;
    this.pairs = pairs;
  }

  /**
   * What to show: each part null (or blank) for "all"; {@code state} a {@link LibraryRows.State} word, or pinned, private or needs_you (unmapped or held apart)
   * (the rows with that mark, whatever their state).
   */
  public record Query(MediaType type, String state, String search, String runId, int page) {
    public Query {
      page = Math.max(1, page);
      search = search == null || search.isBlank() ? null : search.trim().toLowerCase(Locale.ROOT);
    }
  }

  /** A row as listed: the stored row and the user's mapping of it now (pinned or ignored, with the pin's AniList id). */
  public record Listed(LibraryRows.Row row, String mapping, Integer pinnedTo, String runId, Instant seenAt) {}

  /** One page: its rows, how many match in all, and how many of the type (and search) are in each state, pinned and private. */
  public record Page(List<Listed> rows, int total, Map<String, Integer> counts) {}

  /** A pin or an ignore the user made, with the title the Library knows for it. */
  public record Mapping(MediaType type, int malId, Integer aniListId, String source, String title, Instant updatedAt) {}

  /**
   * The record step's row-writing: builds the type's rows from the run's input and plan, what became of its writes
   * and the store after them, and stores them — all of the type's rows after a whole read, only the rows read after a
   * partial one (a live poll, a list with unreadable entries), whose other rows stay as the last whole read left them.
   */
  public Future<Void> record(String runId, PlanInput input, Plan plan) {
    MediaType type = input.type();
    boolean whole = input.partial().isEmpty();
    return pairs.syncState(type).compose(after -> database.tx("record the library", db -> {
      List<LibraryRows.Row> rows = LibraryRows.of(input, plan, outcomes(db, runId, type),
          new LibraryRows.StateAfter(after.baselines(), after.tombstones(), after.refusals()));
      if (whole) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM library_entry WHERE type = ?")) {
          ps.setString(1, type.name());
          ps.executeUpdate();
        }
      } else {
        forget(db, type, rows);
        // a one-sided entry in a partial read may have a partner the read left out: only pairs and writes are news
        rows = rows.stream().filter(r -> r.touched() || (r.aniList() != null && r.mal() != null)).toList();
      }
      insert(db, rows, runId, input.now());
      return null;
    }));
  }

  private static Map<String, LibraryRows.Outcome> outcomes(Connection db, String runId, MediaType type) throws SQLException {
    Map<String, LibraryRows.Outcome> out = new HashMap<>();
    try (PreparedStatement ps = db.prepareStatement("SELECT side, mal_id, status, error FROM operation WHERE run_id = ? AND type = ?")) {
      ps.setString(1, runId);
      ps.setString(2, type.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(LibraryRows.outcomeKey(Side.valueOf(rs.getString(1)), rs.getInt(2)), new LibraryRows.Outcome(rs.getString(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  /** Drops the rows a partial read replaces: any row of either of the ids each new row has. */
  private static void forget(Connection db, MediaType type, List<LibraryRows.Row> rows) throws SQLException {
    try (PreparedStatement byMal = db.prepareStatement("DELETE FROM library_entry WHERE type = ? AND mal_id = ? AND mal_id != 0");
         PreparedStatement byAni = db.prepareStatement("DELETE FROM library_entry WHERE type = ? AND anilist_media_id = ? AND anilist_media_id != 0")) {
      for (LibraryRows.Row r : rows) {
        byMal.setString(1, type.name());
        byMal.setInt(2, r.malId());
        byMal.addBatch();
        byAni.setString(1, type.name());
        byAni.setInt(2, r.aniListId());
        byAni.addBatch();
      }
      byMal.executeBatch();
      byAni.executeBatch();
    }
  }

  private static void insert(Connection db, List<LibraryRows.Row> rows, String runId, Instant now) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("""
        INSERT OR REPLACE INTO library_entry (type, mal_id, anilist_media_id, title, search, state, anilist_state, mal_state, total,
          private, differences, next, note, run_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
      for (LibraryRows.Row r : rows) {
        ps.setString(1, r.type().name());
        ps.setInt(2, r.malId());
        ps.setInt(3, r.aniListId());
        ps.setString(4, r.title());
        String search = r.malTitle() == null || r.malTitle().equals(r.title()) ? r.title() : r.title() + " / " + r.malTitle();
        ps.setString(5, search.toLowerCase(Locale.ROOT));
        ps.setString(6, r.state().word());
        ps.setString(7, r.aniList() == null ? null : CoreJson.neutral(r.aniList()).encode());
        ps.setString(8, r.mal() == null ? null : CoreJson.neutral(r.mal()).encode());
        if (r.total() == null) ps.setNull(9, java.sql.Types.INTEGER);
        else ps.setInt(9, r.total());
        ps.setInt(10, r.isPrivate() ? 1 : 0);
        ps.setString(11, new JsonArray(r.differences()).encode());
        ps.setString(12, r.next());
        ps.setString(13, r.note());
        ps.setString(14, r.touched() ? runId : null);
        ps.setString(15, now.toString());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  // ---- reading -------------------------------------------------------------------------------------------------

  /** The pin or ignore of a row: by its MAL id, else (an AniList entry without one) a pin naming its AniList id. */
  private static final String MAPPED = """
      FROM library_entry l
      LEFT JOIN mapping m ON m.type = l.type AND m.mal_id = l.mal_id AND l.mal_id != 0 AND m.source IN ('pinned', 'ignored')
      LEFT JOIN mapping p ON m.mal_id IS NULL AND l.mal_id = 0 AND p.type = l.type AND p.anilist_media_id = l.anilist_media_id
        AND p.source = 'pinned'
      """;

  /**
   * One page of the Library, title order. The page's rows are picked on the title index alone (the mapping is joined
   * only for a filter that needs it: pinned, ignored), and only those 50 rows are read whole with their mapping.
   */
  public Future<Page> page(Query q) {
    return database.tx("read the library", db -> {
      boolean joined = "pinned".equals(q.state()) || "ignored".equals(q.state());
      String from = joined ? MAPPED : " FROM library_entry l ";
      List<Object> args = new ArrayList<>();
      String where = where(q, args, true);
      int total;
      try (PreparedStatement ps = db.prepareStatement("SELECT count(*) " + from + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getInt(1);
        }
      }
      List<Listed> rows = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("""
          SELECT l.type, l.mal_id, l.anilist_media_id, l.title, l.state, l.anilist_state, l.mal_state, l.total, l.private,
            l.differences, l.next, l.note, l.run_id, l.seen_at, coalesce(m.source, p.source), coalesce(m.anilist_media_id, p.anilist_media_id),
            coalesce(p.mal_id, l.mal_id)
          """ + MAPPED + " WHERE l.rowid IN (SELECT l.rowid " + from + where + ORDER + " LIMIT ? OFFSET ?)" + ORDER)) {
        List<Object> paged = new ArrayList<>(args);
        paged.add(PAGE_SIZE);
        paged.add((q.page() - 1) * PAGE_SIZE);
        bind(ps, paged);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) rows.add(listed(rs));
        }
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (LibraryRows.State s : LibraryRows.State.values()) counts.put(s.word(), 0);
      List<Object> countArgs = new ArrayList<>();
      String countWhere = where(q, countArgs, false);
      int privateCount = 0;
      try (PreparedStatement ps = db.prepareStatement("SELECT l.state, count(*), sum(l.private) FROM library_entry l" + countWhere
          + " GROUP BY l.state")) {
        bind(ps, countArgs);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.put(rs.getString(1), rs.getInt(2));
            privateCount += rs.getInt(3);
          }
        }
      }
      counts.put("private", privateCount);
      // pins are few: counted from the mapping side, each found in the Library by its MAL id or its AniList id
      try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM mapping m JOIN library_entry l ON l.type = m.type"
          + " AND ((l.mal_id = m.mal_id AND l.mal_id != 0) OR (l.mal_id = 0 AND l.anilist_media_id = m.anilist_media_id))"
          + (countWhere.isEmpty() ? " WHERE " : countWhere + " AND ") + "m.source = 'pinned'")) {
        bind(ps, countArgs);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          counts.put("pinned", rs.getInt(1));
        }
      }
      return new Page(rows, total, counts);
    });
  }

  private static final String ORDER = " ORDER BY l.search, l.type, l.mal_id, l.anilist_media_id";

  private static String where(Query q, List<Object> args, boolean withState) {
    List<String> parts = new ArrayList<>();
    if (q.type() != null) {
      parts.add("l.type = ?");
      args.add(q.type().name());
    }
    if (q.search() != null) {
      parts.add("l.search LIKE ? ESCAPE '\\'");
      args.add("%" + q.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (q.runId() != null) {
      parts.add("l.run_id = ?");
      args.add(q.runId());
    }
    if (withState && q.state() != null) {
      switch (q.state()) {
        case "pinned" -> parts.add("coalesce(m.source, p.source) = 'pinned'");
        case "private" -> parts.add("l.private = 1");
        // what the status line's "N entries need you" opens: entries only the user can pair or settle
        case "needs_you" -> parts.add("l.state IN ('unmapped', 'held_apart')");
        case "ignored" -> parts.add("(l.state = 'ignored' OR m.source = 'ignored')");
        default -> {
          parts.add("l.state = ?");
          args.add(q.state());
        }
      }
    }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Integer n) ps.setInt(i + 1, n);
      else ps.setString(i + 1, String.valueOf(a));
    }
  }

  private static Listed listed(ResultSet rs) throws SQLException {
    String ani = rs.getString(6);
    String mal = rs.getString(7);
    int total = rs.getInt(8);
    boolean noTotal = rs.wasNull();
    List<String> differences = new JsonArray(rs.getString(10)).stream().map(String::valueOf).toList();
    LibraryRows.Row row = new LibraryRows.Row(MediaType.valueOf(rs.getString(1)), rs.getInt(17), rs.getInt(3), rs.getString(4), null,
        LibraryRows.State.parse(rs.getString(5)), ani == null ? null : CoreJson.neutral(new JsonObject(ani)),
        mal == null ? null : CoreJson.neutral(new JsonObject(mal)), noTotal ? null : total, rs.getInt(9) == 1, differences,
        rs.getString(11), rs.getString(12), rs.getString(13) != null);
    int pinnedTo = rs.getInt(16);
    boolean noPin = rs.wasNull();
    return new Listed(row, rs.getString(15), noPin ? null : pinnedTo, rs.getString(13), Instant.parse(rs.getString(14)));
  }

  /** Every pin and ignore the user made, newest first, with the title the Library or the unmapped list knows. */
  public Future<List<Mapping>> mappings() {
    return database.tx("read the pins and ignores", db -> {
      List<Mapping> out = new ArrayList<>();
      try (PreparedStatement ps = db.prepareStatement("""
          SELECT m.type, m.mal_id, m.anilist_media_id, m.source, m.updated_at, coalesce(
            (SELECT l.title FROM library_entry l WHERE l.type = m.type AND l.mal_id = m.mal_id AND m.mal_id != 0 LIMIT 1),
            (SELECT l.title FROM library_entry l WHERE l.type = m.type AND l.anilist_media_id = m.anilist_media_id LIMIT 1),
            (SELECT u.title FROM unmapped u WHERE u.type = m.type AND u.side = 'MAL' AND u.id = m.mal_id))
          FROM mapping m WHERE m.source IN ('pinned', 'ignored') ORDER BY m.updated_at DESC, m.type, m.mal_id""");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int ani = rs.getInt(3);
          boolean noAni = rs.wasNull();
          out.add(new Mapping(MediaType.valueOf(rs.getString(1)), rs.getInt(2), noAni ? null : ani, rs.getString(4), rs.getString(6),
              Instant.parse(rs.getString(5))));
        }
      }
      return out;
    });
  }
}
