package io.github.anilistmalsync.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Where live sync's read of a list, newest update first, may stop: at the first page whose oldest entry is not newer
 * than the watermark's second. That second itself is read again on the first page (several edits can share it), but
 * is paged for only when the page ends in it and shows an entry of it not read before — a sign that edits landed in
 * that second after the last poll, so more of them may lie past the page. Without that exception a second holding a
 * whole page of entries (a bulk edit, an import) would cost a page more on every idle poll until a newer edit; what
 * the exception could still miss (a page of old entries of that second hiding a new one behind it) is the full
 * sync's to carry, as is everything a poll can miss.
 *
 * @param second the watermark's second in the service's own clock
 * @param seenIds the entries already read in that second (AniList: list entry ids; MAL: title ids)
 */
public record ChangesSince(long second, Set<Long> seenIds) {

  public ChangesSince {
    seenIds = Set.copyOf(seenIds);
  }

  /** As carried on the bus: {@code {second, seen: [id, ...]}}; null stays null (no watermark yet). */
  public static ChangesSince fromJson(JsonObject json) {
    if (json == null) return null;
    Set<Long> seen = new HashSet<>();
    json.getJsonArray("seen", new JsonArray()).forEach(id -> seen.add(((Number) id).longValue()));
    return new ChangesSince(json.getLong("second"), seen);
  }

  public JsonObject toJson() {
    return new JsonObject().put("second", second).put("seen", new JsonArray(List.copyOf(seenIds)));
  }

  /** Whether the page after {@code page} (a full one, in update order) can still hold news. */
  public <E> boolean readsOn(List<E> page, ToLongFunction<E> id, ToLongFunction<E> updatedSecond) {
    if (page.isEmpty()) return false;
    long oldest = Long.MAX_VALUE;
    for (E e : page) oldest = Math.min(oldest, updatedSecond.applyAsLong(e));
    if (oldest > second) return true;
    if (oldest < second) return false;
    return page.stream().anyMatch(e -> updatedSecond.applyAsLong(e) == second && !seenIds.contains(id.applyAsLong(e)));
  }
}
