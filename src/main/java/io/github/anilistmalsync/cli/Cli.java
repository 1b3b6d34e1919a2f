package io.github.anilistmalsync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** The command line: parses, then hands over to the service. No sync logic lives here. */
@Command(
    name = "anilist-mal-sync",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = "Keeps your anime and manga lists on AniList and MyAnimeList in sync.",
    subcommands = {Cli.Auth.class, Cli.Run.class, Cli.Demo.class, Cli.Status.class, Cli.Undo.class, Cli.Unmapped.class, Cli.Mappings.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the sync failed (a service unavailable, operations failed)",
      "2:bad usage or invalid config",
      "3:refused by the mass-change guard",
      "4:a service needs sign-in"
    })
public class Cli implements Callable<Integer> {

  public static int execute(String... args) {
    return new CommandLine(new Cli()).setExitCodeExceptionMapper(e -> ExitCode.USAGE).execute(args);
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return ExitCode.USAGE;
  }

  @Command(name = "auth", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Sign in to AniList and/or MyAnimeList in the browser and save the tokens.")
  static class Auth implements Callable<Integer> {
    @Mixin CommonOptions common;

    @CommandLine.Option(names = "--service", paramLabel = "SERVICE", defaultValue = "both",
        description = "anilist, mal or both (default: both).")
    String service;

    @CommandLine.Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "10",
        description = "How long to wait for the browser to come back (default: 10).")
    int timeoutMinutes;

    @Override
    public Integer call() {
      return SignIn.run(common, service, java.time.Duration.ofMinutes(timeoutMinutes));
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Sync continuously with the web UI; --once syncs once and exits.")
  static class Run implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin RunOptions run;

    @Override
    public Integer call() {
      return run.demo ? DemoMode.run(common, run) : ServiceLauncher.run(common, run);
    }
  }

  @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Run the service against built-in fake AniList and MAL servers: no accounts needed.")
  static class Demo implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin RunOptions run;

    @Override
    public Integer call() {
      return DemoMode.run(common, run);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Show the sign-in state of each service, the last and next run, and the unmapped count.")
  static class Status implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      return StoreCommands.status(common, System.out);
    }
  }

  @Command(name = "undo", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Revert a run (default: the last run that wrote).")
  static class Undo implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "The run to revert.")
    String runId;

    @Override
    public Integer call() {
      return ServiceLauncher.undo(common, runId);
    }
  }

  @Command(name = "unmapped", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "List the entries that could not be paired with the other service, with their titles and ids.")
  static class Unmapped implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      return StoreCommands.unmapped(common, System.out);
    }
  }

  @Command(name = "mappings", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Pin a MAL id to an AniList media id, ignore a MAL entry, or remove such a decision.")
  static class Mappings implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "ACTION", description = "pin, ignore or remove.")
    String action;

    @Parameters(index = "1", paramLabel = "TYPE", description = "anime or manga.")
    String type;

    @Parameters(index = "2", paramLabel = "MAL_ID", description = "The MyAnimeList id.")
    int malId;

    @Parameters(index = "3", arity = "0..1", paramLabel = "ANILIST_ID", description = "The AniList media id (for pin).")
    Integer aniListId;

    @Override
    public Integer call() {
      return StoreCommands.mapping(common, action, type, malId, aniListId, System.out, System.err);
    }
  }

  /** The version from the jar's manifest, or "dev" when run from classes. */
  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"anilist-mal-sync " + (v != null ? v : "dev")};
    }
  }
}
