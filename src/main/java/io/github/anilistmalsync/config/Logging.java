package io.github.anilistmalsync.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Sets the service's log level from {@code sync.log_level} / {@code --log-level} (WARNING is logback's WARN). */
public final class Logging {
  private Logging() {}

  public static void apply(String level) {
    if (level == null) return;
    String name = level.trim().toUpperCase(Locale.ROOT);
    if (name.equals("WARNING")) name = "WARN";
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(name, Level.INFO));
  }
}
