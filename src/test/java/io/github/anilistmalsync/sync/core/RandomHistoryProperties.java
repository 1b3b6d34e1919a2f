package io.github.anilistmalsync.sync.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.Entries;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random histories of user edits on both sides (any field, one field at a time on either side, creations, deletions,
 * private AniList entries, coarse score formats, counts MAL does not know) interleaved with syncs, on the in-memory
 * pair of services that store writes as the real ones do. After every sync: both sides agree on every synced field
 * of every pair (a private entry's notes excepted, which never reach MAL), the next sync writes nothing, and no entry
 * disappears unless the user deleted it with deletions set to propagate.
 */
class RandomHistoryProperties {

  @Property(tries = 1000)
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
      List<String> disagreements = Agreement.disagreements(new ArrayList<>(s.aniList.values()), new ArrayList<>(s.mal.values()))
          .stream().filter(d -> !isPrivateNotes(d, s)).toList();
      assertThat(disagreements).as("round %d", round).isEmpty();
      assertThat(s.mal.values()).as("no private note reaches MAL").noneMatch(m -> m.comments() != null && m.comments().startsWith("secret"));
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
      switch (random.nextInt(7)) {
        case 0 -> s.putAniList(randomAni(random, n, when));
        case 1 -> s.putMal(randomMal(random, n, when));
        case 5 -> {
          AniListEntry a = s.aniList.get(id);
          if (a != null) s.putAniList(withStatus(a, AniListStatus.values()[random.nextInt(AniListStatus.values().length)], when));
        }
        case 6 -> {
          MalEntry m = s.mal.get(id);
          if (m != null) s.putMal(withProgress(m, random.nextInt(30), when));
        }
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

  /** Entries 3, 6, 9 and 12 are private on AniList, with notes no MAL edit ever writes. */
  private static boolean privateOnAniList(int n) {
    return n % 3 == 0;
  }

  /** MAL knows no episode count for entries 4, 8 and 12. */
  private static Integer malTotal(int n) {
    return n % 4 == 0 ? 0 : 24;
  }

  private static boolean isPrivateNotes(String disagreement, TwoServices s) {
    return disagreement.contains(" notes:") && s.aniList.values().stream()
        .anyMatch(a -> a.isPrivate() && disagreement.contains(" " + a.media().displayTitle() + " notes:"));
  }

  private static AniListEntry randomAni(Random r, int n, long updatedAt) {
    AniListStatus status = AniListStatus.values()[r.nextInt(AniListStatus.values().length)];
    AniListEntry e = Entries.ani(n, status, r.nextInt(30), r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(100), updatedAt);
    e = Entries.withNotes(e, r.nextBoolean() ? null : (privateOnAniList(n) ? "secret " : "note ") + r.nextInt(3));
    e = Entries.withDates(e, randomDate(r), randomDate(r));
    return privateOnAniList(n) ? Entries.privately(e) : e;
  }

  private static MalEntry randomMal(Random r, int n, long updatedAt) {
    MalStatus status = MalStatus.values()[r.nextInt(MalStatus.values().length)];
    int progress = malTotal(n) > 0 ? Math.min(24, r.nextInt(30)) : r.nextInt(30);
    MalEntry e = Entries.withTotal(Entries.mal(n, status, r.nextInt(6) == 0, progress, r.nextInt(11), updatedAt), malTotal(n));
    e = Entries.withComments(e, r.nextBoolean() ? "" : "note " + r.nextInt(3));
    return Entries.withDates(e, randomDate(r), randomDate(r));
  }

  /** The user changes only the status on AniList. */
  private static AniListEntry withStatus(AniListEntry e, AniListStatus status, long updatedAt) {
    return new AniListEntry(e.id(), e.media(), status, e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), updatedAt, e.createdAt());
  }

  /** The user records only a progress on MAL (capped at MAL's count where it knows one). */
  private static MalEntry withProgress(MalEntry e, int progress, long updatedAt) {
    Integer total = e.progressTotal();
    int kept = total != null && total > 0 ? Math.min(progress, total) : progress;
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), total, e.volumesTotal(), e.nsfw(), e.status(),
        e.score(), kept, e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(),
        e.tags(), e.priority(), java.time.Instant.ofEpochSecond(updatedAt));
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
