package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a trigger asks for: which types, whether to write, whether to override the mass-change guard, and who
 * asked; or an undo of an earlier run ({@code undoOf}), or carrying out the plan a preview showed ({@code applyOf}).
 * Two requests that ask for the same thing ({@link #sameWorkAs}) share one run.
 */
public record RunRequest(Set<MediaType> types, boolean dryRun, boolean force, String trigger, String undoOf, String applyOf) {

  public RunRequest {
    types = types.isEmpty() ? EnumSet.noneOf(MediaType.class) : EnumSet.copyOf(types);
  }

  public RunRequest(Set<MediaType> types, boolean dryRun, boolean force, String trigger) {
    this(types, dryRun, force, trigger, null, null);
  }

  public boolean sameWorkAs(RunRequest other) {
    // a live poll never joins a full sync (nor one the other): they read and record different things
    return types.equals(other.types) && dryRun == other.dryRun && force == other.force && live() == other.live()
        && Objects.equals(undoOf, other.undoOf) && Objects.equals(applyOf, other.applyOf);
  }

  /** Whether this is a live poll between full syncs (see {@link LivePoller}). */
  public boolean live() {
    return "live".equals(trigger);
  }

  /** An undo of {@code runId} over the given types. */
  public static RunRequest undo(String runId, Set<MediaType> types) {
    return new RunRequest(types, false, true, "undo", runId, null);
  }

  /**
   * Carrying out the plan preview {@code runId} showed, over its types. The user has seen every write, so the
   * mass-change guard does not ask again; if the plan is no longer what the lists call for, nothing is written.
   */
  public static RunRequest apply(String runId, Set<MediaType> types) {
    return new RunRequest(types, false, true, "preview", null, runId);
  }

  /**
   * Reads a {@code sync.trigger} body. A missing type means every configured type; {@code sync.dry_run} in the
   * config makes every run dry, manual ones included.
   */
  public static RunRequest fromTrigger(JsonObject body, List<MediaType> configuredTypes, boolean configDryRun) {
    String type = body.getString("type");
    Set<MediaType> types = type == null || type.isBlank()
        ? (configuredTypes.isEmpty() ? EnumSet.noneOf(MediaType.class) : EnumSet.copyOf(configuredTypes))
        : EnumSet.of(MediaType.parse(type));
    return new RunRequest(types, configDryRun || body.getBoolean("dryRun", false), body.getBoolean("force", false),
        body.getString("trigger", "manual"));
  }

  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    types.forEach(x -> t.add(x.name()));
    return new JsonObject().put("types", t).put("dryRun", dryRun).put("force", force).put("trigger", trigger).put("undoOf", undoOf).put("applyOf", applyOf);
  }
}
