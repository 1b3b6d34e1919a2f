package io.github.anilistmalsync.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.anilist.AniListClient;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.mal.MalClient;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The real AniList and MAL clients reading answers damaged on the way (random JSON instead of the answer, cut-off
 * text, a field removed, nulled, of the wrong type or too big), served through a proxy in front of the fakes. Every
 * call ends within its deadline in either a typed failure or a correct result, and a list with one damaged chunk or
 * page is never handed over as if it were the whole list. Damage to the answer itself fails the whole read; damage
 * inside one AniList entry leaves that entry out and names it in the list's {@code skipped} (one odd entry never
 * fails a whole list), so every entry is either read or named.
 */
class ResponseParserProperties {
  /** Longest a damaged call may take: four attempts within their one-second deadlines, and the short backoffs. */
  private static final long HANG_SECONDS = 20;
  private static final int ANILIST_ENTRIES = 620;  // two chunks of AniList's 500
  private static final int MAL_ENTRIES = 1_300;    // two pages of MAL's 1,000

  private static Vertx vertx;
  private static FakeAniList aniList;
  private static FakeMal mal;
  private static CorruptingProxy aniProxy;
  private static CorruptingProxy malProxy;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    aniList = new FakeAniList(vertx);
    mal = new FakeMal(vertx);
    aniList.start(0).await();
    mal.start(0).await();
    for (int i = 1; i <= ANILIST_ENTRIES; i++) {
      AniListMedia media = new AniListMedia(new AniListMediaId(i), new MalId(5_000 + i), MediaType.ANIME, "TV", 12, null, null, false, "Title " + i, null, null);
      aniList.putEntry(new AniListEntry(i, media, AniListStatus.CURRENT, 70, null, 3, 0, 1, false, false, "notes " + i,
          i % 7 == 0 ? List.of("Favourites") : List.of(), FuzzyDate.of(2022, 5, null), FuzzyDate.EMPTY, 1_700_000_000L, 1_600_000_000L));
    }
    for (int i = 1; i <= MAL_ENTRIES; i++) {
      mal.putEntry(new MalEntry(new MalId(i), MediaType.ANIME, "Title " + i, "tv", 12, null, false, MalStatus.IN_PROGRESS, 7, 5, 0, false, 2,
          FuzzyDate.of(2021, 3, null), FuzzyDate.EMPTY, "note " + i, List.of(), 0, Instant.parse("2024-01-02T03:04:05Z")));
    }
    aniProxy = new CorruptingProxy(vertx, aniList.port()).start();
    malProxy = new CorruptingProxy(vertx, mal.port()).start();
  }

  @AfterContainer
  static void stop() {
    aniProxy.stop();
    malProxy.stop();
    vertx.close().await();
  }

  private static Upstream.Options quick() {
    return Upstream.Options.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withDeadline(Duration.ofSeconds(1))
        .withBreaker(100, Duration.ofMillis(50));
  }

  private static AniListClient aniListClient() {
    return new AniListClient(vertx, new AniListClient.Settings("http://127.0.0.1:" + aniProxy.port() + "/", 600_000, null, quick()),
        TokenSource.fixed("a-token"), new RequestMetrics(new SimpleMeterRegistry()));
  }

  private static MalClient malClient() {
    return new MalClient(vertx, new MalClient.Settings("http://127.0.0.1:" + malProxy.port() + "/v2", 10_000, quick()),
        TokenSource.fixed("m-token"), new RequestMetrics(new SimpleMeterRegistry()));
  }

  /** How a call ended: its value, or the failure it ended with. Fails the property when it does not end at all. */
  private record Ending<T>(T value, Throwable failure) {}

  private static <T> Ending<T> end(Future<T> call, String damage) {
    try {
      return new Ending<>(call.toCompletionStage().toCompletableFuture().get(HANG_SECONDS, TimeUnit.SECONDS), null);
    } catch (ExecutionException e) {
      return new Ending<>(null, e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the call never ended after " + damage);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void assertTyped(Throwable failure, String damage) {
    assertThat(failure).as("the failure after %s", damage).isInstanceOf(ServiceException.class);
    assertThat(((ServiceException) failure).kind()).as("the failure kind after %s (%s)", damage, failure.getMessage())
        .isNotNull().isNotEqualTo(FailureKind.INTERNAL);
  }

  /** Which AniList request an exchange is: "Viewer", "chunk 1", "chunk 2", "Lookup", "Save", "Delete". */
  private static String aniListRequest(CorruptingProxy.Exchange exchange) {
    JsonObject body = new JsonObject(exchange.body());
    String query = body.getString("query");
    if (query.startsWith("query Viewer")) return "Viewer";
    if (query.contains("MediaListCollection")) return "chunk " + body.getJsonObject("variables").getInteger("chunk");
    if (query.contains("Lookup")) return "Lookup";
    return query.contains("SaveMediaListEntry") ? "Save" : "Delete";
  }

  /** Damages, the same way on every try, the answer to the one request {@code target} names. */
  private static CorruptingProxy.Corruption damageOnly(Function<CorruptingProxy.Exchange, String> requestName, String target,
                                                        Function<String, JsonDamage.Damaged> damage, String[] what) {
    JsonDamage.Damaged[] once = {null};
    return (request, answer) -> {
      if (!target.equals(requestName.apply(request)) || answer.status() != 200) return answer;
      synchronized (once) {
        if (once[0] == null) {
          once[0] = damage.apply(answer.body());
          what[0] = target + ": " + once[0].what();
        }
        return new CorruptingProxy.Answer(200, once[0].body());
      }
    };
  }

  @Property(tries = 100)
  void anAniListListWithOneDamagedAnswerFailsTypedOrComesBackWholeOrNamesWhatItSkipped(@ForAll long seed) {
    Random random = new Random(seed);
    String target = List.of("Viewer", "chunk 1", "chunk 2").get(random.nextInt(3));
    String[] what = {"nothing"};
    aniProxy.corrupt(damageOnly(ResponseParserProperties::aniListRequest, target,
        body -> JsonDamage.damage(body, random, path -> false), what));
    AniListClient client = aniListClient();
    try {
      Ending<AniListClient.Listed> ending = end(client.read(MediaType.ANIME), what[0]);
      if (ending.failure() != null) {
        assertTyped(ending.failure(), what[0]);
      } else {
        Set<Long> ids = ending.value().entries().stream().map(AniListEntry::id).collect(Collectors.toSet());
        List<String> skipped = ending.value().skipped();
        assertThat(skipped).as("the entries skipped after %s", what[0]).hasSizeLessThanOrEqualTo(1)
            .allSatisfy(line -> assertThat(line).contains("AniList entry"));
        assertThat(ids).as("the entries read after %s", what[0])
            .isSubsetOf(aniList.entries(MediaType.ANIME).stream().map(AniListEntry::id).collect(Collectors.toSet()));
        assertThat(ids.size()).as("how many entries were read after %s (skipped: %s)", what[0], skipped)
            .isGreaterThanOrEqualTo(ANILIST_ENTRIES - skipped.size());
      }
    } finally {
      client.close();
    }
  }

  @Property(tries = 100)
  void aMalListWithOneDamagedPageFailsTypedOrComesBackWhole(@ForAll long seed) {
    Random random = new Random(seed);
    String target = random.nextBoolean() ? "page 1" : "page 2";
    String[] what = {"nothing"};
    // without a link to the next page, a page looks like the last one: no reader can tell, so that link is kept
    malProxy.corrupt(damageOnly(r -> r.uri().contains("offset=") ? "page 2" : "page 1", target,
        body -> JsonDamage.damage(body, random, path -> path.equals("paging") || path.equals("paging.next")), what));
    MalClient client = malClient();
    try {
      Ending<FetchedLists.MalList> ending = end(client.fetch(MediaType.ANIME), what[0]);
      if (ending.failure() != null) {
        assertTyped(ending.failure(), what[0]);
      } else {
        // damage inside one entry may leave that one entry out, named; never more, and never damage to the page itself
        List<MalEntry> entries = ending.value().entries();
        List<String> skipped = ending.value().skipped();
        Set<Integer> ids = entries.stream().map(e -> e.id().value()).collect(Collectors.toSet());
        assertThat(ids.size()).as("how many distinct entries were read after %s", what[0]).isEqualTo(entries.size());
        assertThat(skipped).as("the entries skipped after %s", what[0]).hasSizeLessThanOrEqualTo(1);
        assertThat(entries.size() + skipped.size()).as("how many entries were read or named after %s", what[0]).isEqualTo(MAL_ENTRIES);
        if (!skipped.isEmpty()) {
          assertThat(what[0]).as("what was damaged when %s was skipped", skipped).containsPattern("data\\[\\d+\\]\\.");
          assertThat(skipped.get(0)).contains("MAL id");
        }
      }
    } finally {
      client.close();
    }
  }

  @Property(tries = 120)
  void anyBodyAnsweringAnyAniListCallEndsTypedOrCorrect(@ForAll long seed) {
    Random random = new Random(seed);
    JsonDamage.Damaged body = JsonDamage.randomBody(random);
    int call = random.nextInt(4);
    aniProxy.corrupt((request, answer) -> aniListRequest(request).equals("Viewer") ? answer : new CorruptingProxy.Answer(200, body.body()));
    AniListClient client = aniListClient();
    try {
      Future<?> result = switch (call) {
        case 0 -> client.lookUp(MediaType.ANIME, List.of(new MalId(5_001), new MalId(5_002)));
        case 1 -> client.save(1L, 1, new JsonObject().put("progress", 3));
        case 2 -> client.delete(999_999L);
        default -> client.list(MediaType.ANIME);
      };
      String what = List.of("lookUp", "save", "delete", "list").get(call) + " answered with " + body.what();
      Ending<?> ending = end(result.map(v -> (Object) v), what);
      if (ending.failure() != null) assertTyped(ending.failure(), what);
    } finally {
      client.close();
    }
  }

  @Property(tries = 120)
  void anyBodyAnsweringAnyMalCallEndsTypedOrCorrect(@ForAll long seed) {
    Random random = new Random(seed);
    JsonDamage.Damaged body = JsonDamage.randomBody(random);
    int call = random.nextInt(3);
    malProxy.corrupt((request, answer) -> new CorruptingProxy.Answer(200, body.body()));
    MalClient client = malClient();
    try {
      Future<?> result = switch (call) {
        case 0 -> client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", 8));
        case 1 -> client.delete(MediaType.ANIME, new MalId(999_999));
        default -> client.list(MediaType.ANIME);
      };
      String what = List.of("save", "delete", "list").get(call) + " answered with " + body.what();
      Ending<?> ending = end(result.map(v -> (Object) v), what);
      if (ending.failure() != null) assertTyped(ending.failure(), what);
    } finally {
      client.close();
    }
  }

  /** A count or id no 32-bit field can hold is refused, not wrapped round into a different number. */
  @Property(tries = 60)
  void aNumberTooBigForItsFieldIsRefusedNotWrapped(@ForAll long seed) {
    Random random = new Random(seed);
    Object huge = JsonDamage.HUGE.get(random.nextInt(JsonDamage.HUGE.size()));
    boolean onAniList = random.nextBoolean();
    if (onAniList) {
      String field = List.of("id", "progress", "progressVolumes", "repeat", "score100").get(random.nextInt(5));
      Object tooBig = field.equals("id") && huge instanceof Long ? new java.math.BigInteger("9223372036854775808") : huge;  // ids are longs
      String what = "AniList entry " + field + " = " + tooBig;
      aniProxy.corrupt((request, answer) -> {
        if (!aniListRequest(request).startsWith("chunk") || answer.status() != 200) return answer;
        JsonObject body = new JsonObject(answer.body());
        JsonArray groups = body.getJsonObject("data").getJsonObject("MediaListCollection").getJsonArray("lists");
        groups.getJsonObject(0).getJsonArray("entries").getJsonObject(0).put(field, tooBig);
        return new CorruptingProxy.Answer(200, body.encode());
      });
      AniListClient client = aniListClient();
      try {
        // a too-big number inside an entry makes that entry unreadable: skipped and named, never wrapped round
        Ending<AniListClient.Listed> ending = end(client.read(MediaType.ANIME), what);
        if (ending.failure() != null) {
          assertTyped(ending.failure(), what);
        } else {
          assertThat(ending.value().entries().stream().filter(e -> e.id() <= 0 || e.id() > ANILIST_ENTRIES || e.progress() != 3
              || e.repeat() != 1 || e.score100() != 70 || e.progressVolumes() != 0).toList()).as("%s was read as", what).isEmpty();
          assertThat(ending.value().skipped()).as("what was skipped after %s", what).isNotEmpty()
              .allSatisfy(line -> assertThat(line).contains("AniList entry"));
        }
      } finally {
        client.close();
      }
    } else {
      String field = List.of("score", "num_episodes_watched", "num_times_rewatched", "priority").get(random.nextInt(4));
      String what = "MAL list_status." + field + " = " + huge;
      malProxy.corrupt((request, answer) -> {
        if (answer.status() != 200) return answer;
        JsonObject body = new JsonObject(answer.body());
        body.getJsonArray("data").getJsonObject(0).getJsonObject("list_status").put(field, huge);
        return new CorruptingProxy.Answer(200, body.encode());
      });
      MalClient client = malClient();
      try {
        // one entry's number that does not fit leaves that entry out, named, and is never read as another number
        Ending<FetchedLists.MalList> ending = end(client.fetch(MediaType.ANIME), what);
        if (ending.failure() != null) {
          assertTyped(ending.failure(), what);
        } else {
          // the proxy damages the first entry of each of the two pages: MAL ids 1 and 1001
          assertThat(ending.value().entries()).as("%s was read as %s", what, ending.value().entries().get(0))
              .hasSize(MAL_ENTRIES - 2)
              .noneMatch(e -> e.id().value() == 1 || e.id().value() == 1001 || e.score() != 7 || e.progress() != 5
                  || e.repeatCount() != 2 || e.priority() != 0);
          assertThat(ending.value().skipped()).as("the entries skipped after %s", what).hasSize(2)
              .allSatisfy(named -> assertThat(named).contains(field))
              .anySatisfy(named -> assertThat(named).contains("(MAL id 1)"))
              .anySatisfy(named -> assertThat(named).contains("(MAL id 1001)"));
        }
      } finally {
        client.close();
      }
    }
  }
}
