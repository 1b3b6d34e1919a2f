package io.github.anilistmalsync.sync.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The mass-change guard: refuses a plan that looks like an accident rather than a user's edits — a list that came
 * back empty, a wave of deletions, or most synced pairs overwritten at once. {@code --force} (or a confirmation on
 * the dashboard) lets one run through anyway.
 *
 * <p>The overwrite rule counts only pairs that had a baseline (a first sync is not an accident) and needs more than
 * {@value #MIN_OVERWRITES} of them, so that a user with a handful of entries who edits three of them is not refused.
 */
public final class Guard {
  static final int MIN_DELETES = 5;
  static final int MIN_OVERWRITES = 5;

  private Guard() {}

  public static List<String> violations(Plan plan, PlanInput input) {
    List<String> problems = new ArrayList<>();
    String type = plan.type().word();
    long baselines = input.baselines().stream().filter(b -> b.key().type() == plan.type()).count();
    // an empty list matters only where absence would be read as deletion: not on a side read in part (a live poll)
    if (baselines > 0 && plan.aniListSize() == 0 && !input.partial().contains(Side.ANILIST)) {
      problems.add("AniList returned an empty " + type + " list, but " + baselines + " entries were synced before");
    }
    if (baselines > 0 && plan.malSize() == 0 && !input.partial().contains(Side.MAL)) {
      problems.add("MyAnimeList returned an empty " + type + " list, but " + baselines + " entries were synced before");
    }
    for (Side side : Side.values()) {
      long deletes = plan.operations().stream().filter(o -> o.kind() == Operation.Kind.DELETE && o.target() == side).count();
      int size = side == Side.ANILIST ? plan.aniListSize() : plan.malSize();
      long limit = Math.max(MIN_DELETES, size / 10);
      if (deletes > limit) {
        problems.add("the plan would delete " + deletes + " of the " + size + " " + type + " entries on " + side.label()
            + " (more than " + limit + ", the larger of 5 and 10%)");
      }
    }
    if (plan.overwrittenPairs() > MIN_OVERWRITES && plan.overwrittenPairs() * 2 > plan.baselinedPairs()) {
      problems.add("the plan would overwrite " + plan.overwrittenPairs() + " of the " + plan.baselinedPairs()
          + " synced " + type + " pairs (more than half)");
    }
    return problems;
  }
}
