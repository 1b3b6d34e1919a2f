package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.files.AtomicFiles;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.Backups;
import io.github.anilistmalsync.store.StateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every file the service writes into its data directory is readable by its owner only (issue 14, item 16). */
@ExtendWith(VertxExtension.class)
class PrivateFilesTest {
  @TempDir Path tmp;

  /** Path (relative to the data dir) → mode, for everything under {@code dir}, the dir itself as ".". */
  static Map<String, String> modes(Path dir) throws Exception {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = p.equals(dir) ? "." : dir.relativize(p).toString();
        modes.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
      }
    }
    return modes;
  }

  static void assertPrivate(Path dataDir) throws Exception {
    Map<String, String> modes = modes(dataDir);
    modes.forEach((name, mode) -> {
      boolean dir = Files.isDirectory(dataDir.resolve(name));
      assertThat(mode).as("mode of %s", name).isEqualTo(dir ? "rwx------" : "rw-------");
    });
  }

  @Test
  void everyFileTheServiceCreatesIsOwnerOnlyIncludingSqlitesOwn(Vertx vertx) throws Exception {
    Path dataDir = tmp.resolve("data");
    ConfigLoader.createFromTemplateIfMissing(dataDir.resolve("config.yaml"));
    AtomicFiles.makeTreePrivate(dataDir); // what the launcher does at start

    StateStore store = StateStore.open(vertx, dataDir.resolve("state.db")).await();
    new Backups(vertx, dataDir.resolve("backups"), 3).write("run-1", MediaType.ANIME, List.of(), List.of(), Instant.now()).await();
    // no web.password: the web verticle generates initial-password and web-password.hash
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, dataDir.toString())
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0));
    vertx.deployVerticle(new WebVerticle(WebVerticleTest.FAST), new DeploymentOptions().setConfig(conf)).await();

    assertThat(modes(dataDir)).containsKeys("config.yaml", "state.db", "state.db-wal", "state.db-shm", "backups",
        LoginPages.INITIAL_PASSWORD_FILE, LoginPages.PASSWORD_HASH_FILE);
    assertThat(Files.list(dataDir.resolve("backups")).toList()).hasSize(1);
    assertPrivate(dataDir);
    store.close().await();
  }

  @Test
  void anOlderInstallWithWorldReadableFilesIsTightenedAtStart(Vertx vertx) throws Exception {
    Path dataDir = Files.createDirectories(tmp.resolve("old"));
    Files.createDirectories(dataDir.resolve("backups"));
    Files.writeString(dataDir.resolve("config.yaml"), "web:\n  password: \"hunter2hunter2\"\n");
    Files.writeString(dataDir.resolve("backups/2026-01-01_run_anime.json"), "{}");
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dataDir.resolve("backups"), PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String f : List.of("config.yaml", "backups/2026-01-01_run_anime.json")) {
      Files.setPosixFilePermissions(dataDir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    AtomicFiles.makeTreePrivate(dataDir);
    StateStore.open(vertx, dataDir.resolve("state.db")).await().close().await();
    assertPrivate(dataDir);
  }
}
