package io.github.anilistmalsync;

import io.github.anilistmalsync.cli.Cli;

/** The entry point: hands the arguments to the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(args));
  }
}
