package io.github.anilistmalsync.sandbox;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic sample lists for the demo, the end-to-end tests and the benchmark: a catalogue of media and the same
 * user's list on both services, mostly in agreement, with every kind of difference a real user has. Deterministic
 * for a given seed. MAL ids of anime and manga deliberately overlap (they do on the real services).
 */
public final class SampleLists {

  /** One catalogue item and the user's entry for it on each side (either may be null: one-sided). */
  public record Item(AniListMedia media, MalId malId, String malTitle, boolean nsfw,
                     AniListEntry aniList, MalEntry mal, Kind kind) {}

  /** What the item is there to exercise. */
  public enum Kind { SAME, DIFFERENT, ANILIST_ONLY, MAL_ONLY, MAL_UNMAPPABLE, ANILIST_UNMAPPABLE }

  /** Shares of the special kinds among the items, in percent. */
  public record Mix(int differentPercent, int aniListOnlyPercent, int malOnlyPercent, int malUnmappablePercent, int aniListUnmappablePercent) {
    public static Mix realistic() {
      return new Mix(5, 3, 3, 1, 1);
    }

    /** More of every difference than a real list has, so a short demo shows each kind. */
    public static Mix demo() {
      return new Mix(15, 8, 8, 3, 3);
    }
  }

  private static final String[] WORDS = {
    "Sky", "Blade", "Moon", "River", "Spirit", "Steel", "Garden", "Echo", "Crimson", "Silent", "Star", "Dragon",
    "Academy", "Chronicle", "Summer", "Winter", "Shadow", "Light", "Journey", "Island", "Kingdom", "Heart", "Ghost"
  };
  private static final String[] ANIME_FORMATS = {"TV", "TV", "TV", "MOVIE", "OVA", "ONA", "SPECIAL", "TV_SHORT"};
  private static final String[] MANGA_FORMATS = {"MANGA", "MANGA", "MANGA", "NOVEL", "ONE_SHOT"};

  private SampleLists() {}

  /**
   * {@code count} items of one type. AniList media ids start at {@code 100_000} (anime) or {@code 200_000}
   * (manga); MAL ids at 1,000 for both types. {@code now} anchors every timestamp.
   */
  public static List<Item> generate(MediaType type, int count, Mix mix, long seed, Instant now) {
    Random random = new Random(seed * 31 + type.ordinal());
    List<Item> items = new ArrayList<>(count);
    int aniBase = type == MediaType.ANIME ? 100_000 : 200_000;
    for (int i = 0; i < count; i++) {
      Kind kind = pickKind(random, mix);
      AniListMediaId aniId = new AniListMediaId(aniBase + i + 1);
      MalId malId = new MalId(1_000 + i + 1);
      String title = title(random, i);
      boolean nsfw = random.nextInt(100) < 2;
      Integer total = random.nextInt(10) == 0 ? null : type == MediaType.ANIME ? 1 + random.nextInt(26) : 5 + random.nextInt(200);
      Integer volumes = type == MediaType.MANGA && total != null ? Math.max(1, total / 9) : null;
      String[] formats = type == MediaType.ANIME ? ANIME_FORMATS : MANGA_FORMATS;
      boolean aniHasMal = kind != Kind.ANILIST_UNMAPPABLE && kind != Kind.MAL_UNMAPPABLE;
      AniListMedia media = new AniListMedia(aniId, aniHasMal ? malId : null, type, formats[random.nextInt(formats.length)],
          type == MediaType.ANIME ? total : null, type == MediaType.MANGA ? total : null, volumes, nsfw,
          title, random.nextBoolean() ? title + " (EN)" : null, null);

      State state = randomState(random, type, total, volumes, now);
      AniListEntry ani = kind == Kind.MAL_ONLY || kind == Kind.MAL_UNMAPPABLE ? null : aniListEntry(random, aniBase * 10L + i + 1, media, state);
      MalEntry mal = kind == Kind.ANILIST_ONLY || kind == Kind.ANILIST_UNMAPPABLE ? null
          : malEntry(malId, type, title, media.format(), total, volumes, nsfw,
              kind == Kind.DIFFERENT ? differ(random, state, total) : state);
      items.add(new Item(media, malId, title, nsfw, ani, mal, kind));
    }
    return items;
  }

  /**
   * Puts one item on both fakes as a user's lists hold it: the AniList media in the catalogue (found by a MAL-id
   * lookup unless it has no MAL id), each side's entry where it has one, and the MAL title where MAL knows it.
   */
  public static void seed(Item item, FakeAniList aniList, FakeMal mal) {
    aniList.addMedia(item.media());
    if (item.aniList() != null) aniList.putEntry(item.aniList());
    if (item.kind() != Kind.ANILIST_UNMAPPABLE) {
      mal.addTitle(new FakeMal.Title(item.malId(), item.media().type(), item.malTitle(),
          item.media().format().toLowerCase(java.util.Locale.ROOT), item.media().progressTotal(), item.media().volumes(), item.nsfw()));
    }
    if (item.mal() != null) mal.putEntry(item.mal());
  }

  /** {@code perType} generated items of every type, put on both fakes ({@link #seed}). */
  public static void seedEveryType(FakeAniList aniList, FakeMal mal, int perType, Mix mix, long seed, Instant now) {
    for (MediaType type : MediaType.values()) {
      for (Item item : generate(type, perType, mix, seed, now)) {
        seed(item, aniList, mal);
      }
    }
  }

  private static Kind pickKind(Random random, Mix mix) {
    int r = random.nextInt(100);
    int edge = mix.differentPercent();
    if (r < edge) return Kind.DIFFERENT;
    if (r < (edge += mix.aniListOnlyPercent())) return Kind.ANILIST_ONLY;
    if (r < (edge += mix.malOnlyPercent())) return Kind.MAL_ONLY;
    if (r < (edge += mix.malUnmappablePercent())) return Kind.MAL_UNMAPPABLE;
    if (r < edge + mix.aniListUnmappablePercent()) return Kind.ANILIST_UNMAPPABLE;
    return Kind.SAME;
  }

  private static String title(Random random, int i) {
    return WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " " + (i + 1);
  }

  /** The list state both sides share for an item, in MAL-compatible values (whole-point scores). */
  private record State(AniListStatus status, int progress, int volumes, int score10, int repeat,
                       FuzzyDate started, FuzzyDate finished, String notes, boolean isPrivate, long updatedAt) {}

  private static State randomState(Random random, MediaType type, Integer total, Integer volumes, Instant now) {
    int r = random.nextInt(100);
    AniListStatus status = r < 50 ? AniListStatus.COMPLETED : r < 62 ? AniListStatus.CURRENT : r < 80 ? AniListStatus.PLANNING
        : r < 87 ? AniListStatus.DROPPED : r < 95 ? AniListStatus.PAUSED : AniListStatus.REPEATING;
    int known = total != null ? total : 12 + random.nextInt(40);
    int progress = switch (status) {
      case COMPLETED -> total != null ? total : known;
      case PLANNING -> 0;
      default -> random.nextInt(Math.max(1, known));
    };
    int vols = type == MediaType.MANGA && volumes != null ? (status == AniListStatus.COMPLETED ? volumes : random.nextInt(volumes + 1)) : 0;
    int score = status == AniListStatus.PLANNING || random.nextInt(10) < 3 ? 0 : 3 + random.nextInt(8);
    int repeat = status == AniListStatus.REPEATING ? 1 + random.nextInt(2) : random.nextInt(20) == 0 ? 1 : 0;
    int year = 2010 + random.nextInt(16);
    FuzzyDate started = status == AniListStatus.PLANNING || random.nextInt(5) == 0 ? FuzzyDate.EMPTY : partial(random, year);
    FuzzyDate finished = status == AniListStatus.COMPLETED && !started.isEmpty() && random.nextBoolean() ? partial(random, year + 1) : FuzzyDate.EMPTY;
    String notes = random.nextInt(10) == 0 ? "Rewatch with friends & family <3" : null;
    boolean isPrivate = random.nextInt(100) < 3;
    long updatedAt = now.getEpochSecond() - 86_400L * (1 + random.nextInt(365));
    return new State(status, progress, vols, score, repeat, started, finished, notes, isPrivate, updatedAt);
  }

  private static FuzzyDate partial(Random random, int year) {
    int r = random.nextInt(10);
    if (r == 0) return FuzzyDate.of(year, null, null);
    if (r == 1) return FuzzyDate.of(year, 1 + random.nextInt(12), null);
    return FuzzyDate.of(year, 1 + random.nextInt(12), 1 + random.nextInt(28));
  }

  /** The same state with one unit changed, as a user editing only one side would leave it. */
  private static State differ(Random random, State s, Integer total) {
    long later = s.updatedAt() + 3_600;
    return switch (random.nextInt(4)) {
      case 0 -> new State(s.status(), s.progress(), s.volumes(), s.score10() == 10 ? 9 : s.score10() + 1, s.repeat(),
          s.started(), s.finished(), s.notes(), s.isPrivate(), later);
      case 1 -> new State(s.status() == AniListStatus.COMPLETED ? AniListStatus.CURRENT : AniListStatus.COMPLETED,
          s.status() == AniListStatus.COMPLETED ? Math.max(0, s.progress() - 1) : total != null ? total : s.progress() + 1,
          s.volumes(), s.score10(), s.repeat(), s.started(), s.finished(), s.notes(), s.isPrivate(), later);
      case 2 -> new State(s.status(), s.progress(), s.volumes(), s.score10(), s.repeat(), s.started(), s.finished(),
          "edited on MAL", s.isPrivate(), later);
      default -> new State(s.status(), s.progress(), s.volumes(), s.score10(), s.repeat(),
          s.started().isEmpty() ? FuzzyDate.of(2020, 5, 1) : FuzzyDate.EMPTY, s.finished(), s.notes(), s.isPrivate(), later);
    };
  }

  private static AniListEntry aniListEntry(Random random, long entryId, AniListMedia media, State s) {
    return new AniListEntry(entryId, media, s.status(), s.score10() * 10, (double) s.score10(), s.progress(), s.volumes(),
        s.repeat(), s.isPrivate(), false, s.notes(), random.nextInt(15) == 0 ? List.of("Favourites") : List.of(),
        s.started(), s.finished(), s.updatedAt(), s.updatedAt() - 86_400);
  }

  private static MalEntry malEntry(MalId id, MediaType type, String title, String format, Integer total, Integer volumes,
                                   boolean nsfw, State s) {
    boolean repeating = s.status() == AniListStatus.REPEATING;
    MalStatus status = switch (s.status()) {
      case CURRENT -> MalStatus.IN_PROGRESS;
      case PLANNING -> MalStatus.PLANNED;
      case COMPLETED, REPEATING -> MalStatus.COMPLETED;
      case DROPPED -> MalStatus.DROPPED;
      case PAUSED -> MalStatus.ON_HOLD;
    };
    return new MalEntry(id, type, title, format.toLowerCase(java.util.Locale.ROOT), total, volumes, nsfw, status, s.score10(),
        s.progress(), s.volumes(), repeating, s.repeat(), s.started(), s.finished(), s.notes() == null ? "" : s.notes(),
        List.of(), 0, Instant.ofEpochSecond(s.updatedAt()));
  }
}
