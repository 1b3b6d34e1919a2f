package io.github.anilistmalsync.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/**
 * The flags of {@code run} (and {@code demo}). A flag that is not given overrides nothing: only flags the user
 * typed end up in {@link #overrides()}, which sit above environment variables and the file.
 */
public class RunOptions {
  @Option(names = "--mode", paramLabel = "MODE", description = "anilist-to-mal, mal-to-anilist or bidirectional.")
  String mode;

  @Option(names = "--dry-run", description = "Plan and show every change, write nothing.")
  Boolean dryRun;

  @Option(names = "--interval", paramLabel = "MINUTES", description = "Minutes between scheduled syncs.")
  Integer interval;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "DEBUG, INFO, WARNING or ERROR.")
  String logLevel;

  @Option(names = "--once", description = "One sync, no web UI, then exit.")
  boolean once;

  @Option(names = "--no-web-ui", description = "Do not start the web UI.")
  boolean noWebUi;

  @Option(names = "--port", paramLabel = "PORT", description = "Web UI port (default 8080).")
  Integer port;

  @Option(names = "--host", paramLabel = "HOST", description = "Web UI address (default 0.0.0.0).")
  String host;

  @Option(names = "--force", description = "Override the mass-change guard once.")
  boolean force;

  @Option(names = "--demo", description = "Run on built-in fake AniList and MAL servers.")
  boolean demo;

  /** The config values the user set by flag, as a nested JSON object in the config's own shape. */
  public JsonObject overrides() {
    JsonObject sync = new JsonObject();
    if (mode != null) sync.put("mode", mode);
    if (dryRun != null) sync.put("dry_run", dryRun);
    if (interval != null) sync.put("interval", interval);
    if (logLevel != null) sync.put("log_level", logLevel);
    JsonObject web = new JsonObject();
    if (port != null) web.put("port", port);
    if (host != null) web.put("host", host);
    JsonObject out = new JsonObject();
    if (!sync.isEmpty()) out.put("sync", sync);
    if (!web.isEmpty()) out.put("web", web);
    return out;
  }
}
