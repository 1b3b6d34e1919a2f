package io.github.anilistmalsync.client;

import io.github.anilistmalsync.config.AppConfig;
import java.io.InputStream;
import java.util.Properties;

/**
 * The User-Agent every request to AniList and MAL carries: the service's name and version, so the services can tell
 * us from generic clients (MAL has blocked clients by User-Agent: the TODO in Mihon's MyAnimeListInterceptor.kt).
 * {@code http.user_agent} replaces it. The version comes from the jar's manifest, else Maven's pom.properties,
 * else "dev" (a build that was never packaged, as in the tests).
 */
public final class UserAgent {
  public static final String CONFIG_KEY = "http.user_agent";
  /** Where the project lives (its Maven group io.github.anilistmalsync). */
  static final String HOME = "https://github.com/anilistmalsync/anilist-mal-sync";
  public static final String DEFAULT = "anilist-mal-sync/" + version() + " (+" + HOME + ")";

  private UserAgent() {}

  /** {@code http.user_agent} when set, else {@link #DEFAULT}. */
  public static String of(AppConfig config) {
    String configured = config.string(CONFIG_KEY);
    return configured == null || configured.isBlank() ? DEFAULT : configured.trim();
  }

  static String version() {
    String fromManifest = UserAgent.class.getPackage().getImplementationVersion();
    if (fromManifest != null && !fromManifest.isBlank()) return fromManifest;
    try (InputStream in = UserAgent.class.getResourceAsStream("/META-INF/maven/io.github.anilistmalsync/anilist-mal-sync/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) return v;
      }
    } catch (java.io.IOException e) {
      // fall through: an unreadable resource is no reason to stop the service
    }
    return "dev";
  }
}
