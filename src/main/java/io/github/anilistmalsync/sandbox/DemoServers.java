package io.github.anilistmalsync.sandbox;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The fake AniList and MAL of demo mode, started in-process on free ports and seeded with sample lists (anime and
 * manga; every status, partial dates, rewatches, notes, private, NSFW, one-sided, differing and unmappable entries).
 * {@link #configOverrides()} points the service's config at them.
 */
public final class DemoServers {
  public static final String CLIENT_ID = "demo-client";
  public static final String CLIENT_SECRET = "demo-secret";

  private final FakeAniList aniList;
  private final FakeMal mal;

  public DemoServers(Vertx vertx) {
    this.aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "demo", ScoreFormat.POINT_10_DECIMAL));
    this.mal = new FakeMal(vertx);
  }

  /** Starts both fakes with {@code perType} sample entries per type and side. */
  public Future<DemoServers> start(int perType) {
    seed(perType);
    return aniList.start(0).compose(a -> mal.start(0)).map(this);
  }

  private void seed(int perType) {
    Instant now = Instant.now();
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, perType, SampleLists.Mix.demo(), 2026, now)) {
        SampleLists.seed(item, aniList, mal);
      }
    }
  }

  public FakeAniList aniList() {
    return aniList;
  }

  public FakeMal mal() {
    return mal;
  }

  /** The config keys that make the service talk to these fakes. */
  public JsonObject configOverrides() {
    return new JsonObject()
        .put("anilist", new JsonObject()
            .put("api_url", aniList.apiUrl())
            .put("auth_url", "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/authorize")
            .put("token_url", "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/token")
            .put("client_id", CLIENT_ID)
            .put("client_secret", CLIENT_SECRET)
            .put("requests_per_minute", 600))
        .put("myanimelist", new JsonObject()
            .put("api_url", mal.apiUrl())
            .put("auth_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/authorize")
            .put("token_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/token")
            .put("client_id", CLIENT_ID)
            .put("client_secret", CLIENT_SECRET)
            .put("requests_per_second", 10));
  }

  public Future<Void> stop() {
    return Future.all(aniList.stop(), mal.stop()).mapEmpty();
  }
}
