package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.MainVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigProblem;
import io.github.anilistmalsync.config.Logging;
import io.github.anilistmalsync.sync.RunOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.github.anilistmalsync.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the service for {@code run} (and {@code demo}): makes sure there is a valid config (creating the file from
 * the example on first run, waiting for an invalid one to be fixed, or failing at once for {@code --once}), deploys
 * the verticles, and stops them cleanly on SIGTERM or Ctrl+C.
 */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);
  /** What an after-start step answers when the service should keep running until it is stopped. */
  static final int KEEP_RUNNING = -1;
  /** How often an invalid config is checked again while the service waits for it to be fixed. */
  static Duration recheckPeriod = Duration.ofSeconds(60);

  private ServiceLauncher() {}

  public static int run(CommonOptions common, RunOptions run) {
    return run(common, run, System.getenv(), Future::succeededFuture);
  }

  /** {@code beforeDeploy} lets demo mode start its fake servers and point the config at them. */
  public static int run(CommonOptions common, RunOptions run, Map<String, String> env, Function<AppConfig, Future<AppConfig>> beforeDeploy) {
    return run(common, run, env, beforeDeploy, vertx -> run.once ? syncOnce(vertx, run, System.out) : KEEP_RUNNING);
  }

  /** {@code oneShot} is what a one-shot invocation does once the service is up (a sync, or an undo). */
  static int run(CommonOptions common, RunOptions run, Map<String, String> env, Function<AppConfig, Future<AppConfig>> beforeDeploy,
                 java.util.function.ToIntFunction<Vertx> oneShot) {
    Logging.apply(run.logLevel != null ? run.logLevel : "INFO");
    ConfigLoader.Sources sources = new ConfigLoader.Sources(common.configFile(), common.dataDir(), run.overrides(), env);
    PrintStream err = System.err;
    try {
      if (ConfigLoader.createFromTemplateIfMissing(sources.file())) {
        err.println("Created " + sources.file() + " from the example. Fill in these keys (or set their environment variables): "
            + String.join(", ", ConfigLoader.keysToFill()) + (run.once ? "" : "; or set it up in the browser, at the address below."));
      }
    } catch (IOException e) {
      err.println("Could not create " + sources.file() + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    try {
      // Everything in the data directory is private (0700/0600): installs from before this rule are tightened here.
      AtomicFiles.makePrivate(sources.file());
      AtomicFiles.makeTreePrivate(common.dataDir());
    } catch (IOException e) {
      err.println("Could not make the data directory " + common.dataDir() + " private: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Vertx vertx = Vertx.vertx(ProcessFootprint.vertxOptions());
    ProcessFootprint.releaseHeapAfterFullSyncs(vertx);
    ConfigLoader.Result config = beforeValid(vertx, sources, run.once, err, env);
    if (config == null) {
      vertx.close().await();
      return ExitCode.USAGE;
    }
    Logging.apply(run.logLevel != null ? run.logLevel : config.config().string("sync.log_level"));
    MainVerticle.Launch launch = run.once ? MainVerticle.Launch.once() : MainVerticle.Launch.service(!run.noWebUi);
    List<String> busy = PortCheck.busy(config.config(), launch.webUi());
    if (!busy.isEmpty()) {
      busy.forEach(problem -> err.println("The service cannot start: " + problem));
      vertx.close().await();
      return ExitCode.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM or Ctrl+C: undeploy everything (a running sync stops sending and records what it applied), then
    // exit 0, because a stop that completed cleanly is not a failure to a container runtime.
    Thread hook = new Thread(() -> {
      LOG.info("stopping");
      boolean clean = true;
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        clean = false;
        LOG.warn("stop did not complete cleanly: {}", e.toString());
      }
      LOG.info("stopped");
      stopped.countDown();
      System.out.flush();
      Runtime.getRuntime().halt(clean ? ExitCode.OK : ExitCode.SYNC_FAILED);
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      vertx.deployVerticle(new MainVerticle(sources, launch, beforeDeploy)).await();
    } catch (Exception e) {
      // the hook would exit 0 after a clean close: a service that never started has failed
      Runtime.getRuntime().removeShutdownHook(hook);
      err.println("The service could not start: " + e.getMessage());
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception closing) {
        LOG.warn("stop did not complete cleanly: {}", closing.toString());
      }
      return ExitCode.SYNC_FAILED;
    }
    if (launch.webUi()) {
      System.out.println("Dashboard: " + dashboardAddress(config.config()));
    }
    int code = oneShot.applyAsInt(vertx);
    if (code != KEEP_RUNNING) {
      Runtime.getRuntime().removeShutdownHook(hook);
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("stop did not complete cleanly: {}", e.toString());
      }
      return code;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK;
  }

  /**
   * A valid config, or null for {@code --once} when it is invalid. Otherwise waits, re-checking every
   * {@link #recheckPeriod}, so a container does not crash-loop while its user is still editing the file.
   */
  private static ConfigLoader.Result beforeValid(Vertx vertx, ConfigLoader.Sources sources, boolean once, PrintStream err,
                                                 Map<String, String> env) {
    WaitingServer waiting = null;
    // a stop while waiting (docker stop before the file was filled in) is a clean stop, as it is once running
    Thread stopWhileWaiting = new Thread(() -> {
      LOG.info("stopping while waiting for the config");
      Runtime.getRuntime().halt(ExitCode.OK);
    }, "shutdown-while-waiting");
    List<ConfigProblem> reported = null;
    while (true) {
      ConfigLoader.Result result = ConfigLoader.load(vertx, sources).await();
      if (result.valid()) {
        if (waiting != null) {
          Runtime.getRuntime().removeShutdownHook(stopWhileWaiting);
          waiting.close();
        }
        return result;
      }
      List<ConfigProblem> problems = result.problems();
      if (!once && waiting == null) {
        waiting = WaitingServer.start(vertx, sources, env);
        if (waiting != null) Runtime.getRuntime().addShutdownHook(stopWhileWaiting);
      }
      if (waiting != null) waiting.problems(problems);
      if (once) {
        err.println("The config " + sources.file() + " has " + problems.size() + " problem(s):");
        problems.forEach(p -> err.println("  " + p));
        return null;
      }
      if (!problems.equals(reported)) {
        LOG.warn("the config {} has {} problem(s); checking again in {} s, or at once when the browser setup saves it (Ctrl+C to stop):",
            sources.file(), problems.size(), recheckPeriod.toSeconds());
        problems.forEach(p -> LOG.warn("  {}", p));
        reported = problems;
      }
      try {
        if (waiting != null) {
          waiting.awaitSetup(recheckPeriod);
        } else {
          Thread.sleep(recheckPeriod.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (waiting != null) {
          Runtime.getRuntime().removeShutdownHook(stopWhileWaiting);
          waiting.close();
        }
        return null;
      }
    }
  }

  /** undo [RUN_ID]: the service for one undo, the summary, and the exit code of how it ended. */
  public static int undo(CommonOptions common, String runId) {
    RunOptions once = new RunOptions();
    once.once = true;
    return run(common, once, System.getenv(), Future::succeededFuture, vertx -> {
      JsonObject body = new JsonObject();
      if (runId != null) body.put("runId", runId);
      try {
        JsonObject result = vertx.eventBus().<JsonObject>request(Addresses.SYNC_UNDO, body,
            new DeliveryOptions().setSendTimeout(Duration.ofHours(6).toMillis())).await().body();
        System.out.println("Undid run " + result.getString("undoOf") + ":");
        System.out.print(RunSummary.render(result));
        return RunOutcome.exitCodeOf(result);
      } catch (Exception e) {
        System.out.println("Nothing was undone: " + e.getMessage());
        return ExitCode.SYNC_FAILED;
      }
    });
  }

  /** The address to open in a browser: the configured host, or localhost when the service listens everywhere. */
  static String dashboardAddress(AppConfig config) {
    return browserAddress(config.string("web.host"), config.integer("web.port"));
  }

  /** {@code http://host:port/} as a browser opens it: localhost for a server that listens everywhere. */
  static String browserAddress(String host, int port) {
    if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) host = "localhost";
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + port + "/";
  }

  /** run --once: one sync of every configured type, a summary, and the exit code of how it ended. */
  static int syncOnce(Vertx vertx, RunOptions run, PrintStream out) {
    JsonObject trigger = new JsonObject().put("trigger", "cli").put("force", run.force).put("wait", true);
    if (Boolean.TRUE.equals(run.dryRun)) trigger.put("dryRun", true);
    JsonObject result;
    // closed (the line wiped) before the summary is printed
    try (ProgressLine progress = ProgressLine.start(vertx, out, System.console() != null)) {
      result = vertx.eventBus().<JsonObject>request(Addresses.SYNC_TRIGGER, trigger,
          new DeliveryOptions().setSendTimeout(Duration.ofHours(6).toMillis())).await().body();
    } catch (Exception e) {
      out.println("The sync could not run: " + e.getMessage());
      return ExitCode.SYNC_FAILED;
    }
    out.print(RunSummary.render(result));
    return RunOutcome.exitCodeOf(result);
  }
}
