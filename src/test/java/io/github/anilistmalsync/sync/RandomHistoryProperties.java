package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.ScoreFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random histories of user edits on both sides (any field, creations, deletions) interleaved with syncs, on the
 * in-memory pair of services that store writes as the real ones do. After every sync: both sides agree on every
 * synced field of every pair, the next sync writes nothing, and no entry disappears unless the user deleted it
 * with deletions set to propagate.
 */
class RandomHistoryProperties {

  @Property(tries = 200)
  void everySyncConvergesAndTheNextWritesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int rounds,
                                                  @ForAll ScoreFormat format, @ForAll boolean propagate) {
    Random random = new Random(seed);
    TwoServices s = new TwoServices();
    s.options = s.options.withScoreFormat(format)
        .withDeletions(propagate ? SyncOptions.DeletionPolicy.PROPAGATE : SyncOptions.DeletionPolicy.KEEP);
    for (int n = 1; n <= 12; n++) {
      if (random.nextInt(4) > 0) s.putAniList(randomAni(random, n, s.clock - random.nextInt(1000)));
      if (random.nextInt(4) > 0) s.putMal(randomMal(random, n, s.clock - random.nextInt(1000)));
    }
    for (int round = 0; round < rounds; round++) {
      Set<MalId> deletedByUser = edit(random, s);
      Set<MalId> presentBefore = new HashSet<>(s.aniList.keySet());
      presentBefore.addAll(s.mal.keySet());
      presentBefore.removeAll(deletedByUser);
      s.sync();
      List<String> disagreements = Agreement.disagreements(new ArrayList<>(s.aniList.values()), new ArrayList<>(s.mal.values()), format);
      assertThat(disagreements).as("round %d", round).isEmpty();
      assertThat(s.plan().operations()).as("the sync after round %d", round).isEmpty();
      for (MalId id : presentBefore) {
        assertThat(s.aniList.containsKey(id) || s.mal.containsKey(id)).as("entry %s still exists somewhere", id).isTrue();
      }
      if (!propagate) {
        Set<MalId> after = new HashSet<>(s.aniList.keySet());
        after.addAll(s.mal.keySet());
        assertThat(after).containsAll(presentBefore);
      }
    }
  }

  /** A few user edits on either side; answers the MAL ids of entries the user deleted. */
  private static Set<MalId> edit(Random random, TwoServices s) {
    Set<MalId> deleted = new HashSet<>();
    int edits = random.nextInt(5);
    for (int i = 0; i < edits; i++) {
      int n = 1 + random.nextInt(12);
      MalId id = new MalId(n);
      long when = s.clock + 1 + random.nextInt(30);
      switch (random.nextInt(5)) {
        case 0 -> s.putAniList(randomAni(random, n, when));
        case 1 -> s.putMal(randomMal(random, n, when));
        case 2 -> {
          if (s.aniList.remove(id) != null) deleted.add(id);
        }
        case 3 -> {
          if (s.mal.remove(id) != null) deleted.add(id);
        }
        default -> {
          // no edit this time
        }
      }
    }
    return deleted;
  }

  private static AniListEntry randomAni(Random r, int n, long updatedAt) {
    AniListStatus status = AniListStatus.values()[r.nextInt(AniListStatus.values().length)];
    AniListEntry e = Entries.ani(n, status, r.nextInt(30), r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(100), updatedAt);
    e = Entries.withNotes(e, r.nextBoolean() ? null : "note " + r.nextInt(3));
    return Entries.withDates(e, randomDate(r), randomDate(r));
  }

  private static MalEntry randomMal(Random r, int n, long updatedAt) {
    MalStatus status = MalStatus.values()[r.nextInt(MalStatus.values().length)];
    MalEntry e = Entries.mal(n, status, r.nextInt(6) == 0, Math.min(24, r.nextInt(30)), r.nextInt(11), updatedAt);
    e = Entries.withComments(e, r.nextBoolean() ? "" : "note " + r.nextInt(3));
    return Entries.withDates(e, randomDate(r), randomDate(r));
  }

  private static FuzzyDate randomDate(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> FuzzyDate.EMPTY;
      case 1 -> FuzzyDate.of(2015 + r.nextInt(10), null, null);
      case 2 -> FuzzyDate.of(2015 + r.nextInt(10), 1 + r.nextInt(12), null);
      default -> FuzzyDate.of(2015 + r.nextInt(10), 1 + r.nextInt(12), 1 + r.nextInt(28));
    };
  }

}
