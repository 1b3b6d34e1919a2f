package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.TypeCounts;
import io.github.anilistmalsync.words.ChangeWords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The text {@code run --once} prints: per type what changed, the planned writes of a dry run, and what went wrong. */
final class RunSummary {
  /** The columns, in the order the rows give them. */
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
      TypeCounts c = TypeCounts.fromJson(types.getJsonObject(type));
      s.append(String.format("%-6s", type.toLowerCase()));
      for (int n : new int[] {c.created(), c.updated(), c.deleted(), c.unchanged(), c.unmapped(), c.conflicts(), c.errors()}) {
        s.append(String.format(" %9d", n));
      }
      s.append(System.lineSeparator());
    }
    if (dry) {
      ChangeWords words = ChangeWords.forRun(result, Instant.now());
      for (String type : types.fieldNames()) {
        JsonObject plan = types.getJsonObject(type).getJsonObject("plan");
        if (plan == null) continue;
        for (Object o : plan.getJsonArray("operations", new JsonArray())) {
          s.append(String.format("  %-5s %s%n", type.toLowerCase(), words.summary(CoreJson.operation((JsonObject) o), ChangeWords.Tense.PLANNED)));
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
}
