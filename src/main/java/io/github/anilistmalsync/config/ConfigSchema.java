package io.github.anilistmalsync.config;

import io.github.anilistmalsync.config.ConfigKey.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every config key the service knows, in one list: the validator, the env-variable overrides, the README table
 * and the masking of secrets are all driven from here. Add a key here and everything else follows.
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  public static final List<String> MODES = List.of("bidirectional", "anilist-to-mal", "mal-to-anilist");
  public static final List<String> LOG_LEVELS = List.of("DEBUG", "INFO", "WARNING", "ERROR");
  public static final List<String> TYPES = List.of("anime", "manga");
  public static final List<String> DELETIONS = List.of("keep", "propagate");
  /** The sync units that can be switched off one by one under {@code sync.fields}. */
  public static final List<String> FIELDS = List.of("status", "progress", "score", "volumes", "repeat", "start_date", "finish_date", "notes");
  public static final List<String> WEBHOOK_FORMATS = List.of("json", "discord", "ntfy");
  /** What a webhook can be told ({@code notifications.webhooks[].events}); a webhook without a list gets all but the opt-in ones. */
  public static final List<String> WEBHOOK_EVENTS = List.of("run_changed", "run_failed", "signin_needed", "token_expiring", "live_changed");
  /** Sent only to a webhook that names them: a live run can write every minute, and nobody asked to hear of each. */
  public static final List<String> WEBHOOK_OPT_IN_EVENTS = List.of("live_changed");

  private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

  static {
    key("oauth.port", Kind.PORT, 18080, "port of the OAuth callback server");
    key("oauth.redirect_uri", Kind.URL, "http://localhost:18080/callback", "must match the redirect URI registered with both apps");
    required("anilist.client_id", Kind.STRING, false, "AniList API client id");
    required("anilist.client_secret", Kind.STRING, true, "AniList API client secret");
    key("anilist.username", Kind.STRING, null, "if set, must match the signed-in AniList account");
    key("anilist.auth_url", Kind.URL, "https://anilist.co/api/v2/oauth/authorize", "");
    key("anilist.token_url", Kind.URL, "https://anilist.co/api/v2/oauth/token", "");
    key("anilist.api_url", Kind.URL, "https://graphql.anilist.co", "");
    key("anilist.requests_per_minute", Kind.POSITIVE_NUMBER, 30, "AniList pacing; its documented 90 is degraded to 30 in practice");
    required("myanimelist.client_id", Kind.STRING, false, "MyAnimeList API client id");
    key("myanimelist.client_secret", Kind.STRING, null, true, "MyAnimeList client secret (apps of type \"other\" have none)");
    key("myanimelist.username", Kind.STRING, null, "if set, must match the signed-in MyAnimeList account");
    key("myanimelist.auth_url", Kind.URL, "https://myanimelist.net/v1/oauth2/authorize", "");
    key("myanimelist.token_url", Kind.URL, "https://myanimelist.net/v1/oauth2/token", "");
    key("myanimelist.api_url", Kind.URL, "https://api.myanimelist.net/v2", "");
    key("myanimelist.requests_per_second", Kind.POSITIVE_NUMBER, 1, "MyAnimeList pacing; about 1/s is safe, 2/s gets throttled");
    key("http.user_agent", Kind.STRING, null, "User-Agent sent to AniList and MyAnimeList (default: anilist-mal-sync/VERSION (+project URL))");
    choice("sync.mode", "bidirectional", MODES, "which way changes flow");
    key("sync.interval", Kind.POSITIVE_INT, 360, "minutes between scheduled syncs");
    key("sync.anime.interval", Kind.POSITIVE_INT, null, "minutes between anime syncs (default: sync.interval)");
    key("sync.manga.interval", Kind.POSITIVE_INT, null, "minutes between manga syncs (default: sync.interval)");
    key("sync.live_seconds", Kind.NON_NEGATIVE_INT, 60, "seconds between live polls for changes (0 = off; 15-3600)");
    choice("sync.log_level", "INFO", LOG_LEVELS, "");
    key("sync.dry_run", Kind.BOOLEAN, false, "plan every run but write nothing");
    add(new ConfigKey("sync.types", Kind.CHOICE_LIST, TYPES, false, false, TYPES, "which lists to sync"));
    for (String field : FIELDS) {
      key("sync.fields." + field, Kind.BOOLEAN, true, "sync this unit");
    }
    key("sync.never_lower_progress", Kind.BOOLEAN, false, "refuse writes that lower progress");
    key("sync.include_private", Kind.BOOLEAN, false, "create private/hidden AniList entries on MyAnimeList (whose lists are public)");
    choice("sync.deletions", "keep", DELETIONS, "what a deletion on one side does to the other");
    key("token_file_path", Kind.PATH, "tokens.json", "relative to the data dir");
    key("web.host", Kind.STRING, "0.0.0.0", "");
    key("web.port", Kind.PORT, 8080, "");
    key("web.password", Kind.STRING, null, true, "dashboard password (default: generated into DATA_DIR/initial-password)");
    key("web.api_token", Kind.STRING, null, true, "Bearer token for scripts on /api/*");
    key("web.metrics_token", Kind.STRING, null, true, "Bearer token for /metrics");
    key("web.allowed_hosts", Kind.STRING, null, "comma-separated host names the dashboard answers to besides IP addresses and localhost (DNS rebinding guard)");
    key("web.secure_cookies", Kind.BOOLEAN, false, "mark the session and CSRF cookies Secure (set it when the dashboard is served over HTTPS, e.g. behind a reverse proxy)");
    key("backups.keep", Kind.NON_NEGATIVE_INT, 10, "how many list backups to keep");
    add(new ConfigKey("notifications.webhooks", Kind.LIST, List.of(), true, false, List.of(), "webhook targets, each {url, format: json|discord|ntfy, events} (secret: URLs carry tokens); events: run_changed, run_failed, signin_needed, token_expiring (all four when no list is given) and live_changed (a live poll that wrote: only when listed)"));
  }

  private static void key(String path, Kind kind, Object def, String help) {
    key(path, kind, def, false, help);
  }

  private static void key(String path, Kind kind, Object def, boolean secret, String help) {
    add(new ConfigKey(path, kind, def, secret, false, List.of(), help));
  }

  private static void required(String path, Kind kind, boolean secret, String help) {
    add(new ConfigKey(path, kind, null, secret, true, List.of(), help));
  }

  private static void choice(String path, String def, List<String> allowed, String help) {
    add(new ConfigKey(path, Kind.CHOICE, def, false, false, allowed, help));
  }

  private static void add(ConfigKey key) {
    KEYS.put(key.path(), key);
  }

  public static List<ConfigKey> keys() {
    return new ArrayList<>(KEYS.values());
  }

  public static Optional<ConfigKey> key(String path) {
    return Optional.ofNullable(KEYS.get(path));
  }

  public static List<ConfigKey> secrets() {
    return KEYS.values().stream().filter(ConfigKey::secret).toList();
  }

  /**
   * Keys the running service reads only at start (the clients, the OAuth provider and the servers are built from
   * them): a saved change is in the file at once but in force only after a restart, and the editor says so.
   */
  public static final java.util.Set<String> RESTART_PREFIXES = java.util.Set.of("oauth.", "anilist.", "myanimelist.", "token_file_path", "web.host", "web.port");

  /**
   * Keys that decide where a token, a secret or a webhook payload is sent, or who may get in (the password and the
   * tokens of the dashboard): a change to one needs the dashboard password re-entered in the same save, and is never
   * accepted with {@code web.api_token} alone. Every URL and path key is one, so keys added later are covered
   * without a list to keep.
   */
  public static boolean guarded(ConfigKey key) {
    return key.kind() == Kind.URL || key.kind() == Kind.PATH || key.kind() == Kind.LIST || (key.secret() && key.path().startsWith("web."));
  }

  /** See {@link #RESTART_PREFIXES}. */
  public static boolean needsRestart(ConfigKey key) {
    return RESTART_PREFIXES.stream().anyMatch(p -> key.path().startsWith(p));
  }

  /** The section a key is shown under, as in the README's table: its first name, or "general" for top-level keys. */
  public static String group(ConfigKey key) {
    int dot = key.path().indexOf('.');
    return dot < 0 ? "general" : key.path().substring(0, dot);
  }
}
