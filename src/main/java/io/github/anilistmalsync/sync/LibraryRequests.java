package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.LibraryStore;
import io.github.anilistmalsync.sync.core.LibraryRows;
import io.github.anilistmalsync.store.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The coordinator's answers about the lists as the store holds them: the Library a page at a time, the user's pins and
 * ignores, and setting one — a pin only after AniList confirmed its media exists, so a mistyped id is refused at
 * once instead of failing every sync after it.
 */
final class LibraryRequests {
  private final Vertx vertx;
  private final StateStore store;
  private final LibraryStore library;
  private final ServiceGateway gateway;
  private final Supplier<Instant> clock;

  LibraryRequests(Vertx vertx, StateStore store, ServiceGateway gateway, Supplier<Instant> clock) {
    this.vertx = vertx;
    this.store = store;
    this.library = store.library();
    this.gateway = gateway;
    this.clock = clock;
  }

  /** Listens on {@code sync.library}, {@code sync.mappings} and {@code sync.mapping.set}. */
  Future<Void> register() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>consumer(Addresses.SYNC_LIBRARY, msg -> BusReplies.answer(msg, this::page)).completion(),
        bus.<JsonObject>consumer(Addresses.SYNC_MAPPINGS, msg -> BusReplies.answer(msg, body -> mappings())).completion(),
        bus.<JsonObject>consumer(Addresses.SYNC_MAPPING_SET, msg -> BusReplies.answer(msg, this::setMapping)).completion()))
        .mapEmpty();
  }

  private Future<JsonObject> page(JsonObject body) {
    LibraryStore.Query query;
    try {
      String type = body.getString("type");
      String state = body.getString("state");
      if (state != null && !state.isBlank() && !List.of("pinned", "private", "needs_you").contains(state)) LibraryRows.State.parse(state);
      query = new LibraryStore.Query(type == null || type.isBlank() ? null : MediaType.parse(type),
          state == null || state.isBlank() ? null : state.trim().toLowerCase(Locale.ROOT), body.getString("search"),
          body.getString("runId"), body.getInteger("page", 1));
    } catch (RuntimeException e) {
      return Future.failedFuture(new ServiceException(FailureKind.INVALID, "not a Library filter: " + e.getMessage()));
    }
    return library.page(query).map(page -> {
      JsonArray rows = new JsonArray();
      page.rows().forEach(l -> rows.add(rowJson(l)));
      JsonObject counts = new JsonObject();
      page.counts().forEach(counts::put);
      return new JsonObject().put("rows", rows).put("total", page.total()).put("page", query.page())
          .put("pageSize", LibraryStore.PAGE_SIZE).put("counts", counts);
    });
  }

  private static JsonObject rowJson(LibraryStore.Listed l) {
    LibraryRows.Row r = l.row();
    return new JsonObject().put("type", r.type().name()).put("malId", r.malId()).put("aniListId", r.aniListId())
        .put("title", r.title()).put("state", r.state().word())
        .put("aniList", r.aniList() == null ? null : CoreJson.neutral(r.aniList()))
        .put("mal", r.mal() == null ? null : CoreJson.neutral(r.mal()))
        .put("total", r.total()).put("private", r.isPrivate()).put("differences", new JsonArray(r.differences()))
        .put("next", r.next()).put("note", r.note()).put("mapping", l.mapping()).put("pinnedTo", l.pinnedTo())
        .put("runId", l.runId()).put("seenAt", l.seenAt().toString());
  }

  private Future<JsonObject> mappings() {
    return library.mappings().map(list -> {
      JsonArray out = new JsonArray();
      for (LibraryStore.Mapping m : list) {
        out.add(new JsonObject().put("type", m.type().name()).put("malId", m.malId()).put("aniListId", m.aniListId())
            .put("source", m.source()).put("title", m.title()).put("updatedAt", m.updatedAt().toString()));
      }
      return new JsonObject().put("mappings", out);
    });
  }

  private Future<JsonObject> setMapping(JsonObject body) {
    MediaType type = MediaType.parse(body.getString("type"));
    MalId malId = new MalId(body.getInteger("malId"));
    Future<Void> done = switch (body.getString("action", "")) {
      case "pin" -> pinChecked(type, malId, new AniListMediaId(body.getInteger("aniListId")));
      case "ignore" -> store.pairs().ignore(type, malId, clock.get());
      case "remove" -> store.pairs().removeMapping(type, malId);
      default -> Future.failedFuture(new ServiceException(FailureKind.INVALID, "action must be pin, ignore or remove"));
    };
    return done.map(v -> new JsonObject().put("ok", true));
  }

  /** Saves the pin once AniList has the media; a failure to ask is said as such, and saves nothing either. */
  private Future<Void> pinChecked(MediaType type, MalId malId, AniListMediaId aniListId) {
    return gateway.aniListMedia(type, aniListId)
        .recover(e -> Future.failedFuture(new ServiceException(ServiceException.from(e).kind(),
            "could not check AniList " + type.word() + " " + aniListId.value() + " (" + ServiceException.from(e).getMessage()
                + "); nothing was pinned, try again later")))
        .compose(media -> media == null
            ? Future.failedFuture(new ServiceException(FailureKind.INVALID, "AniList has no " + type.word() + " with the id "
                + aniListId.value() + " (the number in its address, anilist.co/" + type.word() + "/…): nothing was pinned"))
            : store.pairs().pin(type, malId, aniListId, clock.get()));
  }
}
