package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonObject;

/** One thing wrong with the config: the key's dotted path and a plain reason. Never carries a secret's value. */
public record ConfigProblem(String key, String message) {

  public JsonObject toJson() {
    return new JsonObject().put("key", key).put("message", message);
  }

  @Override
  public String toString() {
    return key + ": " + message;
  }
}
