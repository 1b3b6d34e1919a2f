package io.github.anilistmalsync.cli;

/** The process exit codes, as documented in the README. */
public final class ExitCode {
  private ExitCode() {}

  public static final int OK = 0;
  /** The sync failed: a service unavailable, or operations failed. */
  public static final int SYNC_FAILED = 1;
  /** Bad usage or invalid config. */
  public static final int USAGE = 2;
  /** Refused by the mass-change guard. */
  public static final int GUARD = 3;
  /** A service needs sign-in. */
  public static final int NEEDS_SIGN_IN = 4;
}
