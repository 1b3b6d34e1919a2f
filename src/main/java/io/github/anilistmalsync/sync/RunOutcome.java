package io.github.anilistmalsync.sync;

import io.vertx.core.json.JsonObject;

/**
 * How a run ended, in order of severity: a run that refused or needed sign-in wrote nothing more after it noticed.
 * The CLI turns it into an exit code.
 */
public enum RunOutcome {
  /** Everything planned was applied (or shown, for a dry run). */
  OK("ok", 0),
  /** An apply of a preview found the lists had changed since: nothing was written, the new plan is shown instead. */
  PLAN_CHANGED("planChanged", 3),
  /** The mass-change guard stopped it before writing. */
  REFUSED("refused", 3),
  /** Some writes failed, or a service could not be read: the next run finishes the job. */
  FAILED("failed", 1),
  /** A service refused its token and no fresh one could be had. */
  NEEDS_SIGN_IN("needsSignIn", 4),
  /** The service was stopped while the run was applying. */
  INTERRUPTED("interrupted", 1);

  private final String word;
  private final int exitCode;

  RunOutcome(String word, int exitCode) {
    this.word = word;
    this.exitCode = exitCode;
  }

  public String word() {
    return word;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The worse of two outcomes (needing sign-in beats failing beats refusing, or finding the plan changed, beats ok). */
  public RunOutcome worst(RunOutcome other) {
    return severity(other) > severity(this) ? other : this;
  }

  private static int severity(RunOutcome o) {
    return switch (o) {
      case OK -> 0;
      case PLAN_CHANGED, REFUSED -> 1;
      case FAILED -> 2;
      case INTERRUPTED -> 3;
      case NEEDS_SIGN_IN -> 4;
    };
  }

  public static RunOutcome fromWord(String word) {
    for (RunOutcome o : values()) {
      if (o.word.equals(word)) return o;
    }
    return FAILED;
  }

  /** The exit code for a {@code sync.finished}-shaped result. */
  public static int exitCodeOf(JsonObject result) {
    return fromWord(result.getString("result", "failed")).exitCode();
  }
}
