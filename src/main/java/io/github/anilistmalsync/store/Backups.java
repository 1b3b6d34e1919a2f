package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.github.anilistmalsync.files.AtomicFiles;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Both full lists of a type, saved as JSON under {@code data/backups/} before a run writes anything, so any run can
 * be undone by hand too. Keeps the newest {@code keep} files; {@code keep = 0} keeps none and writes none.
 */
public final class Backups {
  private final Vertx vertx;
  private final Path dir;
  private final int keep;

  public Backups(Vertx vertx, Path dir, int keep) {
    this.vertx = vertx;
    this.dir = dir;
    this.keep = keep;
  }

  /**
   * Writes one backup atomically (temp file, then rename) and prunes the oldest beyond {@code keep}. The entries are
   * written one at a time: the whole of a 5,000-entry list as one JSON document in memory, for two types at once,
   * overflowed the container's 64 MB heap. The lists are immutable records, safe to read from the worker.
   */
  public Future<Path> write(String runId, MediaType type, List<AniListEntry> aniList, List<MalEntry> mal, Instant now) {
    if (keep <= 0) return Future.succeededFuture(null);
    JsonObject head = new JsonObject().put("runId", runId).put("type", type.name()).put("takenAt", now.toString());
    String name = now.toString().replace(':', '-') + "_" + runId + "_" + type.word() + ".json";
    return vertx.executeBlocking(() -> {
      // whole lists, private entries and notes included: owner-only from the first byte
      AtomicFiles.createPrivateDirectory(dir);
      Path target = dir.resolve(name);
      Path temp = dir.resolve(name + ".tmp");
      Files.deleteIfExists(temp);
      AtomicFiles.createOwnerOnly(temp);
      try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        String start = head.encode();
        out.write(start, 0, start.length() - 1);
        out.write(",\"anilist\":");
        writeArray(out, aniList.stream().map(AniListEntry::toJson).iterator());
        out.write(",\"mal\":");
        writeArray(out, mal.stream().map(MalEntry::toJson).iterator());
        out.write("}");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
      return target;
    }, false);
  }

  private static void writeArray(Writer out, Iterator<JsonObject> items) throws IOException {
    out.write('[');
    boolean first = true;
    while (items.hasNext()) {
      if (!first) out.write(',');
      out.write(items.next().encode());
      first = false;
    }
    out.write(']');
  }

  /** The backup files, newest first. */
  public List<Path> list() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
          .toList();
    }
  }

  private void prune() throws IOException {
    List<Path> all = list();
    for (int i = keep; i < all.size(); i++) {
      Files.deleteIfExists(all.get(i));
    }
  }
}
