package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigProblem;
import io.github.anilistmalsync.config.ConfigWatcher;
import io.github.anilistmalsync.config.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A config file with a YAML syntax error is reported by line and column, never by its lines (issue 14, item 5). */
@ExtendWith(VertxExtension.class)
class YamlErrorLogTest {
  static final String SECRET = "s3cret-on-a-broken-line-42";

  /** Broken YAML whose bad line carries a secret, in several of the parser's error shapes. */
  static final List<String> BROKEN = List.of(
      "anilist:\n  client_id: \"abc\"\n  client_secret: " + SECRET + ": oops\n",
      "anilist:\n  client_secret: \"" + SECRET + "\n  client_id: x\n",
      "anilist:\n\tclient_secret: " + SECRET + "\n",
      "anilist:\n  client_secret: [" + SECRET + "\nweb: {}\n",
      "anilist:\n  client_secret: *" + SECRET + "\n");

  @Test
  void aSecretOnABrokenLineNeverReachesTheLogOrTheProblems(Vertx vertx, @TempDir Path dir) throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      Path file = TestConfigs.write(dir, TestConfigs.VALID);
      ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dir, new JsonObject(), Map.of());
      AppConfig initial = ConfigLoader.load(vertx, sources).await().config();
      ConfigWatcher watcher = new ConfigWatcher(vertx, sources, initial);
      watcher.start();
      for (String broken : BROKEN) {
        Files.writeString(file, broken);
        List<ConfigProblem> loaded = ConfigLoader.load(vertx, sources).await().problems();
        watcher.reloadNow().await();
        assertThat(loaded).hasSize(1);
        assertThat(loaded.get(0).message()).as(broken).contains("line ").doesNotContain(SECRET);
        assertThat(watcher.problems()).extracting(ConfigProblem::message).noneMatch(m -> m.contains(SECRET));
        assertThat(watcher.problems()).extracting(ConfigProblem::message).anyMatch(m -> m.contains("line "));
      }
      // a few of the watcher's own scans of the broken file (it scans every second)
      Thread.sleep(2_500);
      watcher.close();
      assertThat(logs.list).isNotEmpty();
      for (ILoggingEvent e : logs.list) {
        String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
        assertThat(text).doesNotContain(SECRET);
      }
    } finally {
      root.detachAppender(logs);
    }
  }
}
