package io.github.anilistmalsync.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files for tests. */
public final class TestConfigs {
  private TestConfigs() {}

  public static final String VALID = """
      anilist:
        client_id: "1234"
        client_secret: "anilist-client-secret-value"
      myanimelist:
        client_id: "abcd"
      sync:
        mode: bidirectional
        interval: 30
      web:
        port: 8099
      oauth:
        port: %d
      """.formatted(freePort());

  /** A port nothing listens on now, so tests never collide with a running service. */
  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path write(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
