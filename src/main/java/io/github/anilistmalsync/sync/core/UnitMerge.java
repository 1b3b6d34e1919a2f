package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-unit merge of one pair, for {@link SyncPlanner}: which side's value of each unit wins (or none, and why the
 * pair is then held apart), the completion rule, the change each winner makes on the other side, and the changes held
 * back (a value refused before, a lower progress). Pure like the planner; it may touch only the plan's conflicts and
 * skipped lines, which the planner hands in.
 */
final class UnitMerge {
  private final PlanInput in;
  private final SyncOptions options;
  private final MediaType type;
  private final List<Conflict> conflicts;
  private final List<String> skipped;

  UnitMerge(PlanInput in, List<Conflict> conflicts, List<String> skipped) {
    this.in = in;
    this.options = in.options();
    this.type = in.type();
    this.conflicts = conflicts;
    this.skipped = skipped;
  }

  /**
   * Status and progress merged from different sides can make an entry completed short of its count, which neither
   * service holds on purpose. The completion wins: progress becomes the count (MAL's, else AniList's) on both sides,
   * and a conflict records both edits. Answers the progress to write, or null when the rule does not apply.
   */
  Integer completionRule(PairKey key, String title, Map<Unit, Side> winners, NeutralState aniS, NeutralState malS,
                         MalEntry mal, AniListEntry ani) {
    Side statusFrom = winners.get(Unit.STATUS);
    Side progressFrom = winners.get(Unit.PROGRESS);
    if (statusFrom == null || progressFrom == null || statusFrom == progressFrom) return null;
    NeutralState statusSource = statusFrom == Side.ANILIST ? aniS : malS;
    NeutralState progressSource = progressFrom == Side.ANILIST ? aniS : malS;
    if (statusSource.status() != AniListStatus.COMPLETED) return null;
    Integer total = Convert.Caps.of(mal).progressTotal();
    if (total == null) total = ani.media().progressTotal();
    if (total == null || total <= 0 || progressSource.progress() >= total) return null;
    conflicts.add(new Conflict(key, title, Unit.PROGRESS.configName(),
        statusFrom == Side.ANILIST ? "completed" : String.valueOf(progressSource.progress()),
        statusFrom == Side.MAL ? "completed" : String.valueOf(progressSource.progress()), statusFrom,
        "completed on " + statusFrom.label() + " while progress " + progressSource.progress() + " was recorded on "
            + progressFrom.label() + "; completed wins, progress set to all " + total));
    return total;
  }

  /** Why a unit that differs and that nobody changed is left as it is: a refusal, the baseline's note, or neither. */
  String heldReason(PairKey key, Unit unit, Baseline base) {
    for (Refusal r : in.refusals()) {
      if (unit == r.unit() && r.key().malId().equals(key.malId())) {
        return r.side().label() + " refused this " + unit.configName() + ": " + r.reason();
      }
    }
    if (base != null && base.note() != null) return base.note();
    return "the lists differ and neither changed it since the last sync";
  }

  static NeutralState withProgress(NeutralState s, int progress) {
    return new NeutralState(s.status(), progress, s.score100(), s.volumes(), s.repeat(), s.started(), s.finished(), s.notes());
  }

  /** Drops each unit whose value the target refused before and that has not changed since; the pair is held apart. */
  void holdBackRefused(PairKey key, Side target, Map<Unit, Change<?>> changes, Map<Unit, String> held) {
    for (Refusal r : in.refusals()) {
      if (r.wholeEntry() || r.side() != target || !r.key().malId().equals(key.malId())) continue;
      Change<?> c = changes.get(r.unit());
      if (c != null && c.afterText().equals(r.value())) {
        changes.remove(r.unit());
        held.put(r.unit(), target.label() + " refused this " + r.unit().configName() + ": " + r.reason());
      }
    }
  }

  static HeldApart heldApart(PairKey key, String title, Map<Unit, String> held, NeutralState aniS, NeutralState malS) {
    List<String> differences = new ArrayList<>();
    held.keySet().forEach(unit -> differences.add(unit.configName() + ": AniList " + describe(unit, aniS) + ", MyAnimeList " + describe(unit, malS)));
    return new HeldApart(key, title, differences, String.join("; ", new java.util.LinkedHashSet<>(held.values())));
  }

  /**
   * MAL's value as the entry really holds it. The neutral form reads any entry with the rewatch flag as
   * REPEATING, which MAL writes as "completed": the real status word must be compared, or a rewatching entry
   * that is "watching" on MAL would never get its status written. The flag travels with the status in one change.
   */
  Object currentOnMal(MalEntry mal, Unit unit, NeutralState malS) {
    return unit == Unit.STATUS ? ListStatus.onMal(mal.status(), mal.repeating()) : Convert.valueOn(Side.MAL, type, unit, malS);
  }

  /** Which side's value of {@code unit} wins, or null when nothing should be written. */
  Side decide(Unit unit, PairKey key, String title, Baseline base, NeutralState aniS, NeutralState malS,
              long aniUpdated, MalEntry mal) {
    Side source = options.mode().source();
    if (source != null) return source;
    Side later = aniUpdated >= malUpdated(mal) ? Side.ANILIST : Side.MAL;
    if (base == null) {
      NeutralState laterState = later == Side.ANILIST ? aniS : malS;
      NeutralState otherState = later == Side.ANILIST ? malS : aniS;
      if (Convert.isEmpty(unit, laterState) && !Convert.isEmpty(unit, otherState)) return later.other();
      return later;
    }
    boolean aniChanged = !Convert.sameOnOneSide(unit, base.anilist(), aniS);
    boolean malChanged = !Convert.sameOnOneSide(unit, base.mal(), malS);
    if (aniChanged && !malChanged) return Side.ANILIST;
    if (malChanged && !aniChanged) return Side.MAL;
    if (!aniChanged) return in.settle().get(key.malId());
    boolean tie = aniUpdated == malUpdated(mal);
    conflicts.add(new Conflict(key, title, unit.configName(), describe(unit, aniS), describe(unit, malS), later,
        tie ? "both changed since the last sync at the same second; AniList wins ties" : "both changed since the last sync; the later edit wins"));
    return later;
  }

  private static long malUpdated(MalEntry mal) {
    return mal.updatedAt() == null ? 0 : mal.updatedAt().getEpochSecond();
  }

  void holdBackLowerProgress(Map<Unit, Change<?>> changes, String title, Side target) {
    if (!options.neverLowerProgress()) return;
    if (changes.get(Unit.PROGRESS) instanceof Change.Progress c && c.before() != null && c.after() < c.before()) {
      changes.remove(Unit.PROGRESS);
      skipped.add(title + ": not lowering progress on " + target.label() + " from " + c.before() + " to " + c.after() + " (sync.never_lower_progress)");
    }
  }

  /** Adds {@code unit}'s change on {@code target} when the value {@code after} holds differs from {@code before}. */
  void diff(Side target, Unit unit, Object before, NeutralState after, Map<Unit, Change<?>> into) {
    Object value = Convert.valueOn(target, type, unit, after);
    if (value != null && !value.equals(before)) into.put(unit, Change.of(unit, target, before, value));
  }

  private static String describe(Unit unit, NeutralState s) {
    return switch (unit) {
      case STATUS -> s.status().name();
      case PROGRESS -> String.valueOf(s.progress());
      case SCORE -> String.valueOf(s.score100());
      case VOLUMES -> String.valueOf(s.volumes());
      case REPEAT -> String.valueOf(s.repeat());
      case START -> s.started().toString();
      case FINISH -> s.finished().toString();
      // a page line, not the note: a 6,000-character review would drown the row
      case NOTES -> s.notes().isEmpty() ? "none" : s.notes().codePointCount(0, s.notes().length()) <= 60 ? "\"" + s.notes() + "\""
          : "\"" + s.notes().substring(0, s.notes().offsetByCodePoints(0, 60)) + "…\" ("
              + s.notes().codePointCount(0, s.notes().length()) + " characters)";
    };
  }
}
