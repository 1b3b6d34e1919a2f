package io.github.anilistmalsync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The text {@code run --once} prints: per type what changed, the planned writes of a dry run, and what went wrong. */
final class RunSummary {
  private static final String[] COUNTS = {"created", "updated", "deleted", "unchanged", "unmapped", "conflicts", "errors"};

  private RunSummary() {}

  static String render(JsonObject result) {
    StringBuilder s = new StringBuilder();
    boolean dry = result.getBoolean("dryRun", false);
    s.append(String.format("Sync %s: %s%s (%s)%n", result.getString("runId"), result.getString("result"), dry ? ", dry run: nothing was written" : "",
        result.getString("mode")));
    s.append(String.format("%-6s", "type"));
    for (String c : COUNTS) s.append(String.format(" %9s", c));
    s.append(System.lineSeparator());
    JsonObject types = result.getJsonObject("types", new JsonObject());
    for (String type : types.fieldNames()) {
      JsonObject counts = types.getJsonObject(type);
      s.append(String.format("%-6s", type.toLowerCase()));
      for (String c : COUNTS) s.append(String.format(" %9d", counts.getInteger(c, 0)));
      s.append(System.lineSeparator());
    }
    if (dry) {
      for (String type : types.fieldNames()) {
        JsonObject plan = types.getJsonObject(type).getJsonObject("plan");
        if (plan == null) continue;
        for (Object o : plan.getJsonArray("operations", new JsonArray())) {
          JsonObject op = (JsonObject) o;
          s.append(String.format("  %-5s %-11s %-6s %s: %s%n", type.toLowerCase(), "MAL".equals(op.getString("target")) ? "MyAnimeList" : "AniList",
              op.getString("kind").toLowerCase(), op.getString("title"), changes(op.getJsonObject("changes", new JsonObject()))));
        }
      }
    }
    JsonArray errors = result.getJsonArray("errors", new JsonArray());
    if (!errors.isEmpty()) {
      s.append("Problems:").append(System.lineSeparator());
      errors.forEach(e -> s.append("  ").append(e).append(System.lineSeparator()));
    }
    return s.toString();
  }

  private static String changes(JsonObject changes) {
    StringBuilder s = new StringBuilder();
    for (String field : changes.fieldNames()) {
      JsonObject c = changes.getJsonObject(field);
      if (s.length() > 0) s.append(", ");
      s.append(field).append(' ').append(show(c.getValue("before"))).append(" → ").append(show(c.getValue("after")));
    }
    return s.toString();
  }

  private static String show(Object value) {
    if (value == null) return "—";
    if (value instanceof JsonObject date && date.containsKey("year")) {
      return date.getValue("year") == null ? "—" : io.github.anilistmalsync.model.FuzzyDate.fromJson(date).toString();
    }
    String text = String.valueOf(value);
    return text.isEmpty() ? "\"\"" : text;
  }
}
