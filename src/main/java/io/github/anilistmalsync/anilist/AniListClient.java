package io.github.anilistmalsync.anilist;

import static io.github.anilistmalsync.anilist.AniListGraphQl.readable;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.HttpFailures;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AniList's GraphQL API: who the token belongs to, a whole list in chunks (each entry once, though custom lists
 * repeat it), media by MAL id in batches of 50, and saving or deleting one entry. Its requests go through its own
 * {@link AniListGraphQl} (the WebClient, and {@link Upstream}: pacing under AniList's real limit, deadline, retries,
 * breaker, auth), which also turns AniList's answers into data or typed failures.
 *
 * <p>Scores are written as {@code scoreRaw} (0–100): it means the same whatever display format the user picked, so
 * the sync never has to guess how the user's format rounds before sending.
 */
public final class AniListClient {
  public static final String SERVICE = "anilist";
  static final int CHUNK_SIZE = 500;
  static final int LOOKUP_PAGE = 50;
  /** A viewer read this recently is reused: one Viewer request per sync, not one per list. */
  private static final Duration VIEWER_TTL = Duration.ofMinutes(5);

  /** Who is signed in, and how they see scores. */
  public record Viewer(long id, String name, String scoreFormat) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("scoreFormat", scoreFormat);
    }
  }

  /** A list as read: the entries, and each entry that could not be read, named by title and id with why. */
  public record Listed(List<AniListEntry> entries, List<String> skipped) {}

  /** A field AniList refused, with AniList's own words for why. */
  public record Refused(String field, String reason) {
    public JsonObject toJson() {
      return new JsonObject().put("field", field).put("reason", reason);
    }
  }

  /** An entry as saved, and the fields AniList refused (left out of the save that succeeded). */
  public record Saved(AniListEntry entry, List<Refused> refused) {}

  /** Where AniList is, how fast to ask it, and whose list it must be. */
  public record Settings(String apiUrl, double requestsPerMinute, String expectedUser, Upstream.Options options, String userAgent) {
    public Settings(String apiUrl, double requestsPerMinute, String expectedUser, Upstream.Options options) {
      this(apiUrl, requestsPerMinute, expectedUser, options, io.github.anilistmalsync.client.UserAgent.DEFAULT);
    }
  }
  private final AniListGraphQl graphQl;
  private final Settings settings;
  private Viewer viewer;
  private long viewerAt;
  private Future<Viewer> viewerAsked;

  public AniListClient(Vertx vertx, Settings settings, TokenSource tokens, RequestMetrics metrics) {
    this.settings = settings;
    this.graphQl = new AniListGraphQl(vertx, settings, tokens, metrics);
  }

  public void close() {
    graphQl.close();
  }

  /** The signed-in user; refuses a token that belongs to someone other than {@code anilist.username}. */
  public Future<Viewer> viewer() {
    if (viewer != null && System.nanoTime() - viewerAt < VIEWER_TTL.toNanos()) return Future.succeededFuture(viewer);
    if (viewerAsked != null) return viewerAsked;  // anime and manga ask at once: one request serves both
    viewerAsked = readable(graphQl.post("viewer", AniListQueries.VIEWER, new JsonObject()).map(data -> {
      JsonObject v = data.getJsonObject("Viewer");
      if (v == null) throw new ServiceException(FailureKind.AUTH_EXPIRED, "AniList did not say who the token belongs to");
      JsonObject options = v.getJsonObject("mediaListOptions", new JsonObject());
      Viewer read = new Viewer(v.getLong("id"), v.getString("name"), options.getString("scoreFormat", "POINT_10"));
      String expected = settings.expectedUser();
      if (expected != null && !expected.isBlank() && !expected.equalsIgnoreCase(read.name())) {
        throw new ServiceException(FailureKind.INVALID, "signed in to AniList as " + read.name() + ", but anilist.username is "
            + expected + ": refusing to sync someone else's list");
      }
      viewer = read;
      viewerAt = System.nanoTime();
      return read;
    })).eventually(() -> {
      viewerAsked = null;
      return Future.succeededFuture();
    });
    return viewerAsked;
  }

  /** The whole list of {@code type}, each entry once; fails as a whole if any chunk fails after retries. */
  public Future<List<AniListEntry>> list(MediaType type) {
    return read(type).map(Listed::entries);
  }

  /**
   * The whole list of {@code type}, each entry once, with the entries that could not be read named apart (one odd
   * entry never fails a list). Damage to the answer itself (not JSON, no data, a chunk without its lists or without
   * hasNextChunk) still fails the whole read: reading on would lose entries unseen.
   */
  public Future<Listed> read(MediaType type) {
    List<String> skipped = new ArrayList<>();
    return viewer().compose(v -> chunk(v, type, 1, new LinkedHashMap<>(), skipped)).map(entries -> new Listed(entries, skipped));
  }

  private Future<List<AniListEntry>> chunk(Viewer v, MediaType type, int chunk, Map<Long, AniListEntry> into, List<String> skipped) {
    JsonObject vars = new JsonObject().put("userId", v.id()).put("type", type.name()).put("chunk", chunk).put("perChunk", CHUNK_SIZE);
    return readable(graphQl.post("list", AniListQueries.LIST, vars).map(data -> {
      JsonObject collection = data.getJsonObject("MediaListCollection");
      if (collection == null) throw new ServiceException(FailureKind.TRANSIENT, "AniList returned no list for chunk " + chunk);
      JsonArray lists = collection.getJsonArray("lists");
      Boolean more = collection.getBoolean("hasNextChunk");
      // a chunk without its lists, or not saying whether more follow, is damaged: reading on would lose entries
      if (lists == null || more == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("chunk " + chunk + " is incomplete"));
      for (Object group : lists) {
        JsonArray entries = ((JsonObject) group).getJsonArray("entries");
        if (entries == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("a list group without entries"));
        for (Object entry : entries) {
          if (!(entry instanceof JsonObject json)) throw HttpFailures.malformed(SERVICE, new IllegalStateException("an entry that is not an object"));
          AniListEntry e = AniListEntryReader.read(json, skipped);
          if (e != null) into.putIfAbsent(e.id(), e);
        }
      }
      return more;
    })).compose(more -> more ? chunk(v, type, chunk + 1, into, skipped) : Future.succeededFuture(new ArrayList<>(into.values())));
  }

  /**
   * The user's entries for these AniList media, asked for directly rather than through the collection (which leaves
   * out entries hidden from status lists and all but the 11,000 most recently updated): 50 media a request, following
   * {@code hasNextPage}. Absent from the answer means the user has no entry for that media.
   */
  public Future<Listed> entriesFor(MediaType type, List<Integer> mediaIds) {
    List<AniListEntry> found = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (mediaIds.isEmpty()) return Future.succeededFuture(new Listed(found, skipped));
    return viewer().compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < mediaIds.size(); from += LOOKUP_PAGE) {
        JsonArray ids = new JsonArray(new ArrayList<>(mediaIds.subList(from, Math.min(mediaIds.size(), from + LOOKUP_PAGE))));
        chain = chain.compose(x -> pages("check", AniListQueries.CHECK, true,
            new JsonObject().put("userId", v.id()).put("type", type.name()).put("ids", ids), "mediaList",
            item -> {
              AniListEntry e = AniListEntryReader.read(item, skipped);
              if (e != null) found.add(e);
            }));
      }
      return chain;
    }).map(x -> new Listed(found, skipped));
  }

  /** Every page of one Page query, from page 1 while {@code pageInfo.hasNextPage}, each item of {@code field} handed on. */
  private Future<Void> pages(String kind, String query, boolean signed, JsonObject vars, String field,
      java.util.function.Consumer<JsonObject> each) {
    return pagesFrom(1, kind, query, signed, vars, field, each);
  }

  private Future<Void> pagesFrom(int page, String kind, String query, boolean signed, JsonObject vars, String field,
      java.util.function.Consumer<JsonObject> each) {
    JsonObject pageVars = vars.copy().put("page", page).put("perPage", LOOKUP_PAGE);
    return readable(graphQl.post(kind, query, pageVars, signed).map(data -> {
      JsonObject p = data.getJsonObject("Page");
      if (p == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("no Page in the answer"));
      for (Object item : p.getJsonArray(field, new JsonArray())) each.accept((JsonObject) item);
      JsonObject info = p.getJsonObject("pageInfo", new JsonObject());
      return Boolean.TRUE.equals(info.getBoolean("hasNextPage"));
    })).compose(more -> {
      if (!more) return Future.succeededFuture();
      if (page >= 100) return Future.failedFuture(new ServiceException(FailureKind.INVALID, "AniList kept saying another page follows (" + kind + ", page " + page + ")"));
      return pagesFrom(page + 1, kind, query, signed, vars, field, each);
    });
  }

  /**
   * The AniList media of those MAL ids that AniList knows, 50 ids a request (and a next page while AniList says one
   * follows: several media can share a MAL id), always within one type. Sent without the user's token: AniList hides
   * adult media from signed-in users who have not chosen to see them, and media data needs no sign-in.
   */
  public Future<List<AniListMedia>> lookUp(MediaType type, List<MalId> malIds) {
    List<AniListMedia> found = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < malIds.size(); from += LOOKUP_PAGE) {
      JsonArray ids = new JsonArray();
      malIds.subList(from, Math.min(malIds.size(), from + LOOKUP_PAGE)).forEach(id -> ids.add(id.value()));
      JsonObject vars = new JsonObject().put("ids", ids).put("type", type.name());
      chain = chain.compose(v -> pages("lookup", AniListQueries.LOOKUP, false, vars, "media", m -> found.add(AniListMedia.fromJson(m))));
    }
    return chain.map(v -> found);
  }

  /** The AniList media of one type with these AniList ids, as far as they exist; sent without the token, as {@link #lookUp}. */
  public Future<List<AniListMedia>> media(MediaType type, List<Integer> mediaIds) {
    List<AniListMedia> found = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < mediaIds.size(); from += LOOKUP_PAGE) {
      JsonObject vars = new JsonObject().put("ids", new JsonArray(new ArrayList<>(mediaIds.subList(from, Math.min(mediaIds.size(), from + LOOKUP_PAGE)))))
          .put("type", type.name());
      chain = chain.compose(v -> pages("media", AniListQueries.MEDIA, false, vars, "media", m -> found.add(AniListMedia.fromJson(m))));
    }
    return chain.map(v -> found);
  }

  /**
   * Saves exactly {@code fields} on an entry: the entry {@code entryId} when given, else the user's entry for
   * {@code mediaId} (created when there is none — so repeating a create after a lost answer updates instead of
   * duplicating). Answers the entry as AniList saved it.
   */
  public Future<AniListEntry> save(Long entryId, int mediaId, JsonObject fields) {
    JsonObject vars = fields.copy();
    if (entryId != null) vars.put("id", entryId);
    else vars.put("mediaId", mediaId);
    String mutation = AniListQueries.save(vars);
    return readable(graphQl.post("save", mutation, vars).map(data -> {
      JsonObject saved = data.getJsonObject("SaveMediaListEntry");
      if (saved == null) throw new ServiceException(FailureKind.TRANSIENT, "AniList did not return the saved entry");
      return AniListEntryReader.parse(saved);
    }));
  }

  /**
   * {@link #save}, made robust to two of AniList's real answers. An entry id AniList no longer knows (the user deleted
   * the entry since we read it: 400 "The selected id is invalid.") is saved again by media, which creates it. A field
   * AniList refuses by name (notes over 6,000 characters) is left out and the rest sent again, so one field never
   * blocks the others; the refused fields come back with AniList's reason.
   */
  public Future<Saved> saveSkippingRefused(Long entryId, int mediaId, JsonObject fields) {
    return saveSkipping(entryId, mediaId, fields.copy(), new ArrayList<>());
  }

  private Future<Saved> saveSkipping(Long entryId, int mediaId, JsonObject fields, List<Refused> refused) {
    return save(entryId, mediaId, fields).map(saved -> new Saved(saved, List.copyOf(refused))).recover(e -> {
      if (!(e instanceof AniListGraphQl.Validation v)) return Future.failedFuture(e);
      if (v.kind() == FailureKind.NOT_FOUND && entryId != null && v.fields.containsKey("id")) {
        return saveSkipping(null, mediaId, fields, refused);
      }
      if (v.kind() != FailureKind.INVALID || v.fields.isEmpty()) return Future.failedFuture(e);
      for (String field : v.fields.fieldNames()) {
        if (!fields.containsKey(field)) return Future.failedFuture(e);  // a refusal of something we cannot leave out
      }
      for (String field : v.fields.fieldNames()) {
        fields.remove(field);
        Object reasons = v.fields.getValue(field);
        String reason = reasons instanceof JsonArray a && !a.isEmpty() ? String.valueOf(a.getValue(0)) : String.valueOf(reasons);
        refused.add(new Refused(field, reason));
      }
      return saveSkipping(entryId, mediaId, fields, refused);
    });
  }

  /** Deletes one entry; answers false when AniList no longer had it. */
  public Future<Boolean> delete(long entryId) {
    return readable(graphQl.post("delete", AniListQueries.DELETE, new JsonObject().put("id", entryId))
        .map(data -> data.getJsonObject("DeleteMediaListEntry", new JsonObject()).getBoolean("deleted", false)))
        .recover(e -> e instanceof ServiceException s && s.kind() == FailureKind.NOT_FOUND
            ? Future.succeededFuture(false)
            : Future.failedFuture(e));
  }

  // ---- live sync ---------------------------------------------------------------------------------------------

  /** Entries per page of live sync's reads: AniList's most. */
  static final int CHANGES_PAGE = 50;

  /**
   * The user's entries of each type updated since its watermark (null = no watermark yet: the first page only),
   * newest first, reading every type in ONE request and a further page only for a type whose page is full and, by
   * {@link ChangesSince#readsOn}, can still be followed by news. The answer may hold a few older entries (the tail
   * of the last page).
   */
  public Future<Map<MediaType, List<AniListEntry>>> changes(Map<MediaType, ChangesSince> since) {
    return viewer().compose(v -> {
      Map<MediaType, List<AniListEntry>> into = new java.util.EnumMap<>(MediaType.class);
      Map<MediaType, Integer> pages = new java.util.EnumMap<>(MediaType.class);
      since.keySet().forEach(t -> {
        into.put(t, new ArrayList<>());
        pages.put(t, 1);
      });
      return changesPage(v, since, pages, into);
    });
  }

  private Future<Map<MediaType, List<AniListEntry>>> changesPage(Viewer v, Map<MediaType, ChangesSince> since, Map<MediaType, Integer> pages,
                                                                 Map<MediaType, List<AniListEntry>> into) {
    JsonObject vars = new JsonObject().put("userId", v.id()).put("perPage", CHANGES_PAGE);
    pages.forEach((t, p) -> vars.put(t.name().toLowerCase(java.util.Locale.ROOT) + "Page", p));
    return readable(graphQl.post("changes", AniListQueries.changes(pages.keySet()), vars).map(data -> {
      JsonObject viewerNow = data.getJsonObject("Viewer");
      if (viewerNow == null || viewerNow.getLong("id") == null || viewerNow.getLong("id") != v.id()) {
        viewer = null;  // the token now belongs to someone else (or to no one): ask again, refuse this answer
        throw new ServiceException(FailureKind.AUTH_EXPIRED, "AniList: the token no longer belongs to " + v.name());
      }
      viewerAt = System.nanoTime();  // the poll confirmed the viewer: no Viewer request of its own while polling
      Map<MediaType, Integer> next = new java.util.EnumMap<>(MediaType.class);
      for (Map.Entry<MediaType, Integer> e : pages.entrySet()) {
        JsonObject page = data.getJsonObject(e.getKey().name().toLowerCase(java.util.Locale.ROOT));
        JsonArray list = page == null ? null : page.getJsonArray("mediaList");
        if (list == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("a changes page without its entries"));
        List<AniListEntry> read = new ArrayList<>();
        for (Object o : list) {
          // an entry that cannot be read is left to the full sync, which names it
          AniListEntry entry = o instanceof JsonObject json ? AniListEntryReader.read(json, new ArrayList<>()) : null;
          if (entry != null) read.add(entry);
        }
        into.get(e.getKey()).addAll(read);
        ChangesSince from = since.get(e.getKey());
        JsonObject info = page.getJsonObject("pageInfo");
        Boolean hasNext = info == null ? null : info.getBoolean("hasNextPage");
        boolean more = hasNext != null ? hasNext : list.size() >= CHANGES_PAGE;
        if (more && from != null && from.readsOn(read, AniListEntry::id, AniListEntry::updatedAt)) next.put(e.getKey(), e.getValue() + 1);
      }
      return next;
    })).compose(next -> next.isEmpty() ? Future.succeededFuture(into) : changesPage(v, since, next, into));
  }

}