package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tokens.json}: both services' tokens, written atomically (temp file, fsync, rename) with mode 0600, expiry as
 * a UTC instant, and a format version. The replaced tool's format ({@code {"tokens": {...}}} with Go-style
 * {@code expiry} strings) is imported. A corrupt file is moved aside, reported, and read as "signed out" — never a
 * crash, never silently overwritten. All file work runs off the event loop.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  static final int VERSION = 1;

  /** One service's token. {@code refreshToken} is null for AniList (it has none). */
  public record Token(String accessToken, String refreshToken, Instant expiresAt) {
    JsonObject toJson() {
      return new JsonObject().put("access_token", accessToken).put("refresh_token", refreshToken)
          .put("expires_at", expiresAt == null ? null : expiresAt.toString());
    }

    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  private final Vertx vertx;
  private final Path file;

  public TokenStore(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The tokens on disk by service ("anilist", "mal"); empty when there is no file or it is unreadable. */
  public Future<Map<String, Token>> load() {
    return vertx.executeBlocking(this::read, false);
  }

  private Map<String, Token> read() {
    Map<String, Token> tokens = new LinkedHashMap<>();
    if (!Files.exists(file)) return tokens;
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      JsonObject all = json.getJsonObject("tokens", new JsonObject());
      boolean legacy = !json.containsKey("version");
      for (String service : all.fieldNames()) {
        JsonObject t = all.getJsonObject(service);
        String access = t.getString("access_token");
        if (access == null || access.isBlank()) continue;
        String expiry = legacy ? t.getString("expiry") : t.getString("expires_at");
        tokens.put(service, new Token(access, t.getString("refresh_token"), parseInstant(expiry)));
      }
      if (legacy) LOG.info("imported the tokens of the tool this replaces from {}", file);
      return tokens;
    } catch (RuntimeException | IOException e) {
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + Instant.now().toString().replace(':', '-'));
      try {
        Files.move(file, aside);
        LOG.error("the token file {} could not be read ({}); it was kept as {} and both services count as signed out",
            file, e.getClass().getSimpleName(), aside.getFileName());
      } catch (IOException moveFailed) {
        LOG.error("the token file {} could not be read ({}) nor moved aside ({}); both services count as signed out",
            file, e.getClass().getSimpleName(), moveFailed.getMessage());
      }
      return new LinkedHashMap<>();
    }
  }

  private static Instant parseInstant(String text) {
    if (text == null || text.isBlank()) return null;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      return Instant.parse(text);
    }
  }

  /** Writes all tokens: temp file with mode 0600, fsync, atomic rename. */
  public Future<Void> save(Map<String, Token> tokens) {
    JsonObject all = new JsonObject();
    tokens.forEach((service, t) -> all.put(service, t.toJson()));
    String content = new JsonObject().put("version", VERSION).put("tokens", all).encodePrettily();
    return vertx.executeBlocking(() -> {
      AtomicFiles.write(file, content);
      return null;
    }, false);
  }
}
