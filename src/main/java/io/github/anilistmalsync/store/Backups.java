package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
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

  /** Writes one backup atomically (temp file, then rename) and prunes the oldest beyond {@code keep}. */
  public Future<Path> write(String runId, MediaType type, JsonArray aniList, JsonArray mal, Instant now) {
    if (keep <= 0) return Future.succeededFuture(null);
    JsonObject content = new JsonObject().put("runId", runId).put("type", type.name()).put("takenAt", now.toString())
        .put("anilist", aniList).put("mal", mal);
    String name = now.toString().replace(':', '-') + "_" + runId + "_" + type.word() + ".json";
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      Path target = dir.resolve(name);
      Path temp = dir.resolve(name + ".tmp");
      Files.writeString(temp, content.encode(), StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
      return target;
    }, false);
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
