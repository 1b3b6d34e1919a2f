package io.github.anilistmalsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.PlanInput;
import io.github.anilistmalsync.sync.core.SyncOptions;
import io.github.anilistmalsync.sync.core.SyncPlanner;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Library's table at the size of a long-time user's list: 10,000 entries of one type recorded from a plan, then
 * read a page at a time by state, search and page number from the store alone. Prints how long each step took (the
 * counts are what is asserted).
 */
class LibraryStoreTest {
  private static final int ENTRIES = 10_000;

  @TempDir Path dir;
  private Vertx vertx;
  private StateStore store;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    store = StateStore.open(vertx, dir.resolve("state.db")).await();
  }

  @AfterEach
  void close() {
    store.close().await();
    vertx.close().await();
  }

  @Test
  void tenThousandEntriesAreRecordedOnceAndReadFiftyAPageByStateAndTitle() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<SampleLists.Item> items = SampleLists.generate(MediaType.ANIME, ENTRIES, SampleLists.Mix.realistic(), 7, now);
    List<AniListEntry> aniList = new ArrayList<>();
    List<MalEntry> mal = new ArrayList<>();
    Map<MalId, AniListMediaId> lookedUp = new HashMap<>();
    for (SampleLists.Item item : items) {
      if (item.aniList() != null) aniList.add(item.aniList());
      if (item.mal() != null) mal.add(item.mal());
      if (item.kind() == SampleLists.Kind.MAL_ONLY) lookedUp.put(item.malId(), item.media().id());
    }
    PlanInput input = new PlanInput(MediaType.ANIME, List.of(), List.of(), aniList, mal, lookedUp, Map.of(), Set.of(),
        SyncOptions.defaults(), now);
    Plan plan = SyncPlanner.plan(input);
    LibraryStore library = store.library();

    long t0 = System.nanoTime();
    library.record("run-1", input, plan).await();
    long recorded = System.nanoTime() - t0;
    library.page(new LibraryStore.Query(MediaType.ANIME, null, null, null, 100)).await(); // the connection's first reads
    t0 = System.nanoTime();
    LibraryStore.Page first = library.page(new LibraryStore.Query(null, null, null, null, 1)).await();
    long firstPage = System.nanoTime() - t0;
    t0 = System.nanoTime();
    LibraryStore.Page last = library.page(new LibraryStore.Query(MediaType.ANIME, null, null, null, ENTRIES / 50)).await();
    long lastPage = System.nanoTime() - t0;
    t0 = System.nanoTime();
    LibraryStore.Page differs = library.page(new LibraryStore.Query(null, "differs", null, null, 3)).await();
    LibraryStore.Page search = library.page(new LibraryStore.Query(null, null, "DRAGON", null, 1)).await();
    long filtered = System.nanoTime() - t0;
    System.out.printf("library of %,d: recorded in %d ms; first page %d ms, last page %d ms, a state's page and a search %d ms%n",
        first.total(), recorded / 1_000_000, firstPage / 1_000_000, lastPage / 1_000_000, filtered / 1_000_000);

    assertThat(first.total()).isEqualTo(ENTRIES);
    assertThat(first.rows()).hasSize(50);
    assertThat(last.rows()).hasSize(50);
    Set<String> titles = new HashSet<>();
    first.rows().forEach(r -> titles.add(r.row().type() + "/" + r.row().malId() + "/" + r.row().aniListId()));
    last.rows().forEach(r -> titles.add(r.row().type() + "/" + r.row().malId() + "/" + r.row().aniListId()));
    assertThat(titles).as("the first and the last page share no row").hasSize(100);
    assertThat(library.page(new LibraryStore.Query(null, null, null, null, ENTRIES / 50 + 1)).await().rows()).isEmpty();

    long different = items.stream().filter(i -> i.kind() == SampleLists.Kind.DIFFERENT).count();
    // nothing was written (no run applied the plan): every pair that differs still does, with what the next sync does
    assertThat(first.counts().get("differs")).isEqualTo((int) different);
    assertThat(differs.total()).isEqualTo((int) different);
    assertThat(differs.rows()).allSatisfy(r -> assertThat(r.row().next()).startsWith("the next sync writes "));
    assertThat(first.counts().values().stream().mapToInt(Integer::intValue).sum()
        - first.counts().get("private") - first.counts().get("pinned")).isEqualTo(ENTRIES);
    assertThat(search.total()).isEqualTo((int) items.stream().filter(i -> i.media().displayTitle().toLowerCase().contains("dragon")
        || i.malTitle().toLowerCase().contains("dragon")).count());
    assertThat(search.rows()).allSatisfy(r -> assertThat(r.row().title().toLowerCase()).contains("dragon"));

    library.record("run-2", input, plan).await();
    assertThat(library.page(new LibraryStore.Query(null, null, null, null, 1)).await().total()).as("a second record replaces the first")
        .isEqualTo(ENTRIES);
  }
}
