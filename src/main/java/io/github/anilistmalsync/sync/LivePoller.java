package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.metrics.ServiceMetrics;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.StateStore;
import io.github.anilistmalsync.sync.core.Baseline;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.PlanInput;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live poll between full syncs: reads what changed on both services since each one's watermark (AniList: one
 * request for every type; MAL: one per type), leaves out what is no news (the watermark's second already carried, and
 * our own writes coming back, which equal their pair's baseline), fetches each changed entry's partner as it is now on
 * the other side, and hands those lists to a {@link SyncRun} that plans them with both sides partial — so a poll
 * infers no deletion — and applies and records them like any run (trigger {@code live}). The watermarks move on only
 * after that run recorded the pairs; a poll that fails leaves them, and the next one reads the same entries again.
 *
 * <p>The first poll of a service and type (no watermark yet) only sets its watermark: what changed before is the
 * full sync's (which runs at start) to carry.
 */
final class LivePoller {
  private static final Logger LOG = LoggerFactory.getLogger(LivePoller.class);
  static final String TRIGGER = "live";
  private static final int TITLES_SHOWN = 5;

  /** The lists one live run plans, per type: the changed entries and their partners. */
  record Lists(Map<MediaType, FetchedLists.AniListList> aniList, Map<MediaType, FetchedLists.MalList> mal) {}

  /** Runs a live run over those lists (the types that carry news) and answers how it ended. */
  interface Runner {
    Future<RunResult> run(Set<MediaType> types, Lists lists);
  }

  private final StateStore store;
  private final ServiceGateway gateway;
  private final Supplier<Instant> clock;
  private JsonObject last;
  private long idlePolls;

  LivePoller(StateStore store, ServiceGateway gateway, Supplier<Instant> clock) {
    this.store = store;
    this.gateway = gateway;
    this.clock = clock;
  }

  /** What the dashboard shows: when the last poll checked, what it carried, how many found nothing. */
  JsonObject status() {
    JsonObject out = last == null ? new JsonObject() : last.copy();
    return out.put("idlePolls", idlePolls);
  }

  /**
   * One poll of {@code types}; never fails: the answer's {@code result} is {@code idle} (nothing new), {@code quiet}
   * (only our own writes came back, or the watermarks were set), {@code synced} (a live run carried news: its
   * {@code runId}), {@code refused} (the guard held the live run) or {@code failed} (with its error; nothing moved on).
   */
  Future<JsonObject> poll(Set<MediaType> types, Runner runner) {
    Instant started = clock.get();
    return store.watermarks().read()
        .compose(marks -> read(types, marks).compose(read -> carry(types, marks, read, runner)))
        .recover(e -> {
          ServiceException failure = ServiceException.from(e);
          LOG.warn("live poll failed (nothing is lost: the next poll reads the same changes): {}", failure.getMessage());
          return Future.succeededFuture(new JsonObject().put("result", "failed").put("error", failure.getMessage()));
        })
        .map(result -> {
          result.put("checkedAt", started.toString());
          String word = result.getString("result");
          ServiceMetrics.livePoll(word);
          if ("idle".equals(word) || "quiet".equals(word)) idlePolls++;
          last = result.copy();
          return result;
        });
  }

  /** Both services' change pages of every type. */
  private record Read(JsonObject aniList, Map<MediaType, List<MalEntry>> mal) {}

  private Future<Read> read(Set<MediaType> types, Map<String, Watermark> marks) {
    Map<MediaType, ChangesSince> since = new EnumMap<>(MediaType.class);
    types.forEach(t -> since.put(t, changesSince(marks.get(key(Side.ANILIST, t)))));
    Future<JsonObject> aniList = gateway.aniListChanges(since);
    Map<MediaType, List<MalEntry>> mal = new EnumMap<>(MediaType.class);
    List<Future<?>> all = new ArrayList<>(List.of(aniList));
    for (MediaType t : types) {
      all.add(gateway.malChanges(t, changesSince(marks.get(key(Side.MAL, t)))).map(entries -> mal.put(t, entries)));
    }
    return Future.all(all).map(v -> new Read(aniList.result(), mal));
  }

  private static ChangesSince changesSince(Watermark w) {
    return w == null ? null : new ChangesSince(w.atSecond(), w.seenIds());
  }

  /** What one type's change pages hold that is news, and the watermarks they lead to once carried. */
  private record News(List<AniListEntry> aniList, List<MalEntry> mal, List<AniListEntry> aniListPage, List<MalEntry> malPage,
                      Map<String, Watermark> advanced, int echoes) {
    boolean carries() {
      return !aniList.isEmpty() || !mal.isEmpty();
    }
  }

  private Future<JsonObject> carry(Set<MediaType> types, Map<String, Watermark> marks, Read read, Runner runner) {
    Map<MediaType, News> news = new EnumMap<>(MediaType.class);
    Future<Void> chain = Future.succeededFuture();
    for (MediaType t : types) {
      chain = chain.compose(v -> store.pairs().syncState(t).map(state -> {
        List<AniListEntry> aniPage = read.aniList().getJsonArray(t.name(), new JsonArray()).stream()
            .map(o -> AniListEntry.fromJson((JsonObject) o)).toList();
        news.put(t, news(t, marks, aniPage, read.mal().getOrDefault(t, List.of()), state.baselines()));
        return null;
      }));
    }
    return chain.compose(v -> {
      Map<String, Watermark> quietMarks = new HashMap<>();
      Set<MediaType> carrying = EnumSet.noneOf(MediaType.class);
      int echoes = 0;
      for (var e : news.entrySet()) {
        echoes += e.getValue().echoes();
        if (e.getValue().carries()) carrying.add(e.getKey());
        else quietMarks.putAll(e.getValue().advanced());
      }
      int quietEchoes = echoes;
      // types with nothing to carry move their watermarks on at once (only when they moved: an idle poll writes nothing)
      Map<String, Watermark> moved = new HashMap<>();
      quietMarks.forEach((k, w) -> {
        if (!w.equals(marks.get(k))) moved.put(k, w);
      });
      Future<Void> saved = store.watermarks().save(moved);
      if (carrying.isEmpty()) {
        return saved.map(x -> new JsonObject().put("result", quietEchoes > 0 || !moved.isEmpty() ? "quiet" : "idle")
            .put("carried", new JsonObject()));
      }
      long userId = read.aniList().getLong("userId", 0L);
      String scoreFormat = read.aniList().getString("scoreFormat");
      return saved.compose(x -> partners(carrying, news, userId, scoreFormat)).compose(lists -> runner.run(carrying, lists).compose(result ->
          afterRun(carrying, news, lists, result)));
    });
  }

  /** The news of one type: entries past the watermark that differ from their pair's baseline on their own side. */
  private static News news(MediaType t, Map<String, Watermark> marks, List<AniListEntry> aniPage, List<MalEntry> malPage,
                           List<Baseline> baselines) {
    Map<Integer, Baseline> byAniList = new HashMap<>();
    Map<Integer, Baseline> byMal = new HashMap<>();
    for (Baseline b : baselines) {
      byAniList.put(b.key().aniListId().value(), b);
      byMal.put(b.key().malId().value(), b);
    }
    Map<String, Watermark> advanced = new HashMap<>();
    int echoes = 0;
    List<AniListEntry> aniNews = new ArrayList<>();
    Watermark wa = marks.get(key(Side.ANILIST, t));
    Map<String, Long> aniSeen = new LinkedHashMap<>();
    for (AniListEntry e : aniPage) {
      String token = Watermark.token(e.id(), Convert.fromAniList(e));
      if (wa != null && !wa.isNew(token, e.updatedAt())) continue;
      aniSeen.put(token, e.updatedAt());
      if (wa == null) continue;  // no watermark yet: this poll only sets it
      Baseline b = byAniList.get(e.media().id().value());
      if (b != null && Convert.fromAniList(e).equals(b.anilist())) {
        echoes++;  // our own write coming back, or an edit of nothing we sync
      } else {
        aniNews.add(e);
      }
    }
    // a list with nothing on it yet gives no service time to start from: the watermark stays unset
    if (wa != null || !aniSeen.isEmpty()) advanced.put(key(Side.ANILIST, t), (wa == null ? new Watermark(0, Set.of()) : wa).advancedBy(aniSeen));
    List<MalEntry> malNews = new ArrayList<>();
    Watermark wm = marks.get(key(Side.MAL, t));
    Map<String, Long> malSeen = new LinkedHashMap<>();
    for (MalEntry e : malPage) {
      long second = e.updatedAt() == null ? 0 : e.updatedAt().getEpochSecond();
      String token = Watermark.token(e.id().value(), Convert.fromMal(e));
      if (wm != null && !wm.isNew(token, second)) continue;
      malSeen.put(token, second);
      if (wm == null) continue;
      Baseline b = byMal.get(e.id().value());
      if (b != null && Convert.fromMal(e).equals(b.mal())) {
        echoes++;
      } else {
        malNews.add(e);
      }
    }
    if (wm != null || !malSeen.isEmpty()) advanced.put(key(Side.MAL, t), (wm == null ? new Watermark(0, Set.of()) : wm).advancedBy(malSeen));
    return new News(aniNews, malNews, aniPage, malPage, advanced, echoes);
  }

  /**
   * Each changed entry's partner as it is now: from the other side's change pages when it is there, else AniList's
   * entries by media id (50 a request) and MAL's title by id (one request each). A MAL entry whose AniList media is
   * not known yet goes without: the run's map phase looks it up like any MAL-only entry.
   */
  private Future<Lists> partners(Set<MediaType> types, Map<MediaType, News> news, long userId, String scoreFormat) {
    Map<MediaType, FetchedLists.AniListList> aniLists = new EnumMap<>(MediaType.class);
    Map<MediaType, FetchedLists.MalList> malLists = new EnumMap<>(MediaType.class);
    Future<Void> chain = Future.succeededFuture();
    for (MediaType t : types) {
      News n = news.get(t);
      chain = chain.compose(v -> store.pairs().syncState(t).compose(state -> store.pairs().mappings(t).compose(mappings -> {
        Map<Integer, MalId> malOfAniList = new HashMap<>();
        Map<Integer, AniListMediaId> aniListOfMal = new HashMap<>();
        mappings.lookedUp().forEach((m, a) -> aniListOfMal.put(m.value(), a));
        mappings.pinned().forEach((m, a) -> {
          aniListOfMal.put(m.value(), a);
          malOfAniList.put(a.value(), m);
        });
        for (Baseline b : state.baselines()) {
          malOfAniList.put(b.key().aniListId().value(), b.key().malId());
          aniListOfMal.put(b.key().malId().value(), b.key().aniListId());
        }
        Map<Long, AniListEntry> aniList = new LinkedHashMap<>();
        Map<Integer, MalEntry> mal = new LinkedHashMap<>();
        n.aniList().forEach(e -> aniList.put(e.id(), e));
        n.mal().forEach(e -> mal.put(e.id().value(), e));
        // MAL partners of AniList news
        Map<Integer, MalEntry> malPage = new HashMap<>();
        n.malPage().forEach(e -> malPage.put(e.id().value(), e));
        List<MalId> malToFetch = new ArrayList<>();
        for (AniListEntry e : n.aniList()) {
          MalId m = malOfAniList.getOrDefault(e.media().id().value(), e.media().idMal());
          if (m == null || mal.containsKey(m.value())) continue;
          MalEntry onPage = malPage.get(m.value());
          if (onPage != null) mal.put(m.value(), onPage);
          else malToFetch.add(m);
        }
        // AniList partners of MAL news
        Map<Integer, AniListEntry> aniPage = new HashMap<>();
        n.aniListPage().forEach(e -> aniPage.put(e.media().id().value(), e));
        Set<Integer> haveMedia = new HashSet<>();
        aniList.values().forEach(e -> haveMedia.add(e.media().id().value()));
        List<Integer> aniToFetch = new ArrayList<>();
        for (MalEntry e : n.mal()) {
          AniListMediaId a = aniListOfMal.get(e.id().value());
          if (a == null) {
            AniListEntry byIdMal = n.aniListPage().stream().filter(x -> e.id().equals(x.media().idMal())).findFirst().orElse(null);
            if (byIdMal != null) a = byIdMal.media().id();
          }
          if (a == null || haveMedia.contains(a.value())) continue;
          AniListEntry onPage = aniPage.get(a.value());
          if (onPage != null) {
            aniList.put(onPage.id(), onPage);
            haveMedia.add(a.value());
          } else if (!aniToFetch.contains(a.value())) {
            aniToFetch.add(a.value());
          }
        }
        Future<Void> malFetched = Future.succeededFuture();
        for (MalId m : malToFetch) {
          malFetched = malFetched.compose(x -> gateway.malEntry(t, m).map(found -> {
            if (found != null) mal.put(m.value(), found);
            return null;
          }));
        }
        Future<Void> aniFetched = gateway.aniListEntries(t, aniToFetch).map(found -> {
          found.forEach(e -> aniList.put(e.id(), e));
          return null;
        });
        return Future.all(malFetched, aniFetched).map(x -> {
          aniLists.put(t, new FetchedLists.AniListList(userId, scoreFormat, new ArrayList<>(aniList.values())));
          malLists.put(t, new FetchedLists.MalList(new ArrayList<>(mal.values())));
          return null;
        });
      })));
    }
    return chain.map(v -> new Lists(aniLists, malLists));
  }

  /**
   * After the live run: each type it carried without a failure moves both of its watermarks on (the run recorded its
   * pairs); a type that failed keeps them, so the next poll reads the same changes again.
   */
  private Future<JsonObject> afterRun(Set<MediaType> types, Map<MediaType, News> news, Lists lists, RunResult result) {
    RunOutcome outcome = result.outcome();
    boolean runFailed = outcome == RunOutcome.FAILED || outcome == RunOutcome.NEEDS_SIGN_IN || outcome == RunOutcome.INTERRUPTED;
    Map<String, Watermark> moved = new HashMap<>();
    JsonObject carried = new JsonObject();
    Instant now = clock.get();
    for (MediaType t : types) {
      RunResult.TypeResult part = result.types().get(t);
      TypeCounts counts = part == null ? TypeCounts.NONE : part.counts();
      News n = news.get(t);
      boolean wrote = counts.created() + counts.updated() > 0;
      JsonArray titles = new JsonArray();
      n.aniList().stream().limit(TITLES_SHOWN).forEach(e -> titles.add(e.media().displayTitle() + " (AniList)"));
      n.mal().stream().limit(TITLES_SHOWN).forEach(e -> titles.add(e.title() + " (MyAnimeList)"));
      carried.put(t.name(), new JsonObject().put("fromAniList", n.aniList().size()).put("fromMal", n.mal().size())
          .put("created", counts.created()).put("updated", counts.updated())
          .put("errors", counts.errors()).put("titles", titles));
      if (runFailed || counts.errors() > 0) continue;
      moved.putAll(n.advanced());
      if (wrote && !result.dryRun()) {
        n.aniList().forEach(e -> ServiceMetrics.changeLatency(Duration.between(Instant.ofEpochSecond(e.updatedAt()), now)));
        n.mal().forEach(e -> {
          if (e.updatedAt() != null) ServiceMetrics.changeLatency(Duration.between(e.updatedAt(), now));
        });
      }
    }
    // refused by the guard: nothing written, the plan is in History to preview and apply; the full sync asks again
    String word = runFailed || moved.isEmpty() ? "failed" : outcome == RunOutcome.REFUSED ? "refused" : "synced";
    return store.watermarks().save(moved).map(v -> new JsonObject().put("result", word).put("runId", result.runId())
        .put("runResult", outcome.word()).put("dryRun", result.dryRun()).put("carried", carried).put("errors", new JsonArray(result.errors())));
  }

  static String key(Side side, MediaType type) {
    return (side == Side.ANILIST ? "anilist" : "mal") + "/" + type.name();
  }

  /**
   * The plan as the mass-change guard should weigh a poll's: against every synced pair of the type, not just the few
   * a poll read (editing six entries in a minute is not most of a list).
   */
  static Plan guardView(Plan plan, PlanInput input) {
    int synced = (int) input.baselines().stream().filter(b -> b.key().type() == plan.type()).count();
    return new Plan(plan.type(), plan.operations(), plan.conflicts(), plan.unmapped(), plan.baselinesToRecord(), plan.baselinesToDrop(),
        plan.tombstonesToAdd(), plan.tombstonesToClear(), plan.skipped(), plan.heldApart(), plan.pairedCount(), plan.unchangedCount(),
        Math.max(plan.baselinedPairs(), synced), plan.overwrittenPairs(), plan.aniListSize(), plan.malSize());
  }
}
