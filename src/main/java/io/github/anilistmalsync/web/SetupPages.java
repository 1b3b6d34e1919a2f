package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.messageOf;
import static io.github.anilistmalsync.web.Pages.notice;
import static io.github.anilistmalsync.web.Pages.urlPart;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigSchema;
import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;

/**
 * The browser setup once the service runs and the user is logged in: Connect each service (the sign-in comes back
 * here), choose the mode and the interval, then the first sync as a preview to approve. The setup writes
 * {@code sync.dry_run: true} with the API clients, so nothing is written to either list before this approval (a
 * scheduled run or a sign-in's make-up run stays a dry run); approving turns it off and applies exactly the
 * previewed plan. Ends on the dashboard, saying whether the lists are in sync.
 *
 * <p>That the setup turned {@code sync.dry_run} on is recorded by a marker file in the data dir
 * ({@value #UNAPPROVED_FILE}), written with the setup's save and removed by the approval: a user who leaves before
 * approving sees the step on the dashboard ({@link #unfinished}), while a {@code sync.dry_run} set by hand does not.
 */
final class SetupPages {
  static final String PATH = "/setup";
  /** The setup's step the dashboard links back to while the first sync waits for approval. */
  static final String FIRST_SYNC_STEP = PATH + "#pair-main-first-sync";
  static final String UNAPPROVED_FILE = "setup-unapproved";
  /** A dry run can take minutes at the services' rate limits: the preview waits for it that long. */
  private static final long PREVIEW_TIMEOUT_MS = 30 * 60_000L;

  /** The modes in the user's words, in the order offered. */
  private static final List<String[]> MODES = List.of(
      new String[] {"bidirectional", "Both ways: a change on either site goes to the other"},
      new String[] {"anilist-to-mal", "AniList to MyAnimeList: AniList is the source, MyAnimeList follows"},
      new String[] {"mal-to-anilist", "MyAnimeList to AniList: MyAnimeList is the source, AniList follows"});

  private final Pages pages;

  SetupPages(Pages pages) {
    this.pages = pages;
  }

  void register(Router router) {
    router.get(PATH).handler(this::showSteps);
    router.post(PATH + "/first-sync").handler(this::firstPreview);
    router.get(PATH + "/preview/:runId").handler(this::showPreview);
    router.post(PATH + "/preview/:runId/apply").handler(this::approve);
  }

  /** Written (blocking, on a worker) with the setup's save: the setup holds {@code sync.dry_run} on until approval. */
  static void markUnapproved(Path dataDir) throws java.io.IOException {
    AtomicFiles.write(dataDir.resolve(UNAPPROVED_FILE),
        "The browser setup turned sync.dry_run on until its first sync is approved at " + PATH + ".\n");
  }

  /**
   * Whether the setup's first sync still waits for approval: its marker is there and {@code sync.dry_run} still on.
   * A marker left behind once dry_run is off (turned off by hand) is removed, so a later dry run set by hand is not
   * taken for the setup's.
   */
  static Future<Boolean> unfinished(Vertx vertx, AppConfig config) {
    String marker = config.dataDir().resolve(UNAPPROVED_FILE).toString();
    return vertx.fileSystem().exists(marker).compose(there -> {
      if (!there || config.dryRun()) return Future.succeededFuture(there);
      return vertx.fileSystem().delete(marker).recover(e -> Future.succeededFuture()).map(false);
    }).recover(e -> Future.succeededFuture(false));
  }

  private void showSteps(RoutingContext ctx) {
    Future<JsonObject> file = pages.request(Addresses.CONFIG_FILE_READ, new JsonObject()).recover(e -> Future.succeededFuture(new JsonObject()));
    pages.request(Addresses.AUTH_STATUS, new JsonObject())
        .compose(reply -> file.map(f -> new JsonObject[] {reply, f}))
        .onSuccess(answers -> {
          JsonObject reply = answers[0];
          JsonObject setBy = setBy(answers[1]);
          JsonArray services = AccountPages.accounts(reply);
          boolean connected = !services.isEmpty();
          for (Object o : services) {
            JsonObject s = (JsonObject) o;
            boolean ok = "signedIn".equals(s.getString("state")) || "expiring".equals(s.getString("state"));
            connected &= ok;
            s.put("connected", ok).put("connectUrl", "/oauth/start/" + s.getString("service") + "?return=" + urlPart(PATH));
          }
          JsonArray modes = new JsonArray();
          for (String[] m : MODES) {
            modes.add(new JsonObject().put("value", m[0]).put("label", m[1]).put("selected", m[0].equals(pages.config().mode())));
          }
          // one account pair for now; its id names the page's sections so a second pair can sit beside it later
          JsonObject pair = new JsonObject().put("id", "main").put("services", services).put("connected", connected)
              .put("modes", modes).put("interval", pages.config().integer("sync.interval"))
              .put("modeSetBy", setBy.getString("sync.mode")).put("intervalSetBy", setBy.getString("sync.interval"))
              .put("dryRunUntilApproved", pages.config().dryRun());
          pages.render(ctx, 200, "setup", pages.page(ctx, "Set up", "setup").put("connect", true)
              .put("pairs", new JsonArray().add(pair)));
        })
        .onFailure(err -> pages.pageFailure(ctx, err, "Set up", "setup"));
  }

  /**
   * What sets the mode step's keys over the file ({path: "the environment variable SYNC_MODE"}), as the settings
   * form marks them: those are shown read-only, and the step's form does not send them.
   */
  private static JsonObject setBy(JsonObject file) {
    JsonObject out = new JsonObject();
    for (Object o : file.getJsonArray("fields", new JsonArray())) {
      JsonObject field = (JsonObject) o;
      String key = field.getString("key");
      if (("sync.mode".equals(key) || "sync.interval".equals(key)) && field.getString("overriddenBy") != null) {
        out.put(key, field.getString("overriddenBy"));
      }
    }
    return out;
  }

  /** Saves the mode and the interval (the editor's save, as the settings form's), then plans the first sync. */
  private void firstPreview(RoutingContext ctx) {
    String mode = ctx.request().getFormAttribute("mode");
    String interval = ctx.request().getFormAttribute("interval");
    JsonObject values = new JsonObject();
    if (mode != null && ConfigSchema.MODES.contains(mode)) values.put("sync.mode", mode);
    if (interval != null) values.put("sync.interval", interval.trim());
    pages.request(Addresses.CONFIG_FILE_SAVE, new JsonObject().put("values", values).put("passwordConfirmed", false).put("viaApiToken", false))
        .compose(saved -> {
          if (!saved.getBoolean("saved", false)) {
            return Future.failedFuture(new IllegalStateException("not saved: " + problems(saved)));
          }
          return pages.request(Addresses.SYNC_TRIGGER, new JsonObject().put("dryRun", true).put("trigger", "preview").put("wait", true),
              PREVIEW_TIMEOUT_MS);
        })
        .onSuccess(run -> ctx.redirect(PATH + "/preview/" + urlPart(run.getString("runId"))))
        .onFailure(err -> {
          notice(ctx, "The first sync could not be planned: " + (err instanceof IllegalStateException ? err.getMessage() : messageOf(err)));
          ctx.redirect(PATH);
        });
  }

  private void showPreview(RoutingContext ctx) {
    pages.request(Addresses.SYNC_RUN, new JsonObject().put("runId", ctx.pathParam("runId")))
        .onSuccess(run -> pages.render(ctx, 200, "setup", pages.page(ctx, "Set up: the first sync", "setup").put("reviewing", true)
            .put("run", RunPages.runModel(run))))
        .onFailure(err -> pages.pageFailure(ctx, err, "Set up", "setup"));
  }

  /**
   * Approval: {@code sync.dry_run} off (the setup had it on until now), then exactly the previewed plan. A plan
   * that changed meanwhile writes nothing and is shown again to approve.
   */
  private void approve(RoutingContext ctx) {
    String previewId = ctx.pathParam("runId");
    Future<Void> writing = !pages.config().dryRun() ? Future.succeededFuture()
        : pages.request(Addresses.CONFIG_FILE_SAVE, new JsonObject().put("values", new JsonObject().put("sync.dry_run", "false"))
                .put("passwordConfirmed", false).put("viaApiToken", false))
            .compose(saved -> saved.getBoolean("saved", false) ? Future.<Void>succeededFuture()
                : Future.failedFuture(new IllegalStateException("sync.dry_run could not be turned off: " + problems(saved))));
    writing.compose(v -> pages.request(Addresses.SYNC_APPLY, new JsonObject().put("runId", previewId), PREVIEW_TIMEOUT_MS))
        .onSuccess(reply -> {
          if ("planChanged".equals(reply.getString("result"))) {
            notice(ctx, "The lists changed since that preview, so nothing was written. This is the new plan: approve it if it is right.");
            ctx.redirect(PATH + "/preview/" + urlPart(reply.getString("runId")));
            return;
          }
          notice(ctx, inWords(reply));
          ctx.vertx().fileSystem().delete(pages.config().dataDir().resolve(UNAPPROVED_FILE).toString())
              .recover(e -> Future.succeededFuture())
              .onComplete(v -> ctx.redirect("/"));
        })
        .onFailure(err -> {
          notice(ctx, "Not applied: " + (err instanceof IllegalStateException ? err.getMessage() : messageOf(err)));
          ctx.redirect(PATH + "/preview/" + urlPart(previewId));
        });
  }

  /** The first sync's result as the dashboard says it: in sync, or what is left to look at. */
  static String inWords(JsonObject result) {
    JsonObject types = result.getJsonObject("types", new JsonObject());
    StringBuilder counts = new StringBuilder();
    int heldApart = 0;
    int unmapped = 0;
    for (String type : types.fieldNames()) {
      JsonObject c = types.getJsonObject(type);
      heldApart += c.getInteger("heldApart", 0);
      unmapped += c.getInteger("unmapped", 0);
      counts.append(counts.length() == 0 ? "" : "; ").append(type.toLowerCase(java.util.Locale.ROOT)).append(": ")
          .append(c.getInteger("created", 0)).append(" created, ").append(c.getInteger("updated", 0)).append(" updated, ")
          .append(c.getInteger("unchanged", 0)).append(" unchanged");
    }
    int errors = result.getJsonArray("errors", new JsonArray()).size();
    if (!"ok".equals(result.getString("result")) || errors > 0) {
      return "The first sync ended " + result.getString("result") + " with " + errors + " problem(s) (" + counts
          + "): History has the details.";
    }
    return "The first sync is done: your lists are in sync (" + counts + ")."
        + (heldApart == 0 ? "" : " " + (heldApart == 1 ? "1 pair still differs and is" : heldApart + " pairs still differ and are")
            + " held apart: Mappings shows why.")
        + (unmapped == 0 ? "" : " " + (unmapped == 1 ? "1 entry has" : unmapped + " entries have") + " no partner on the other site: Mappings lists them.");
  }

  private static String problems(JsonObject saved) {
    List<String> out = new java.util.ArrayList<>();
    for (Object p : saved.getJsonArray("problems", new JsonArray())) {
      JsonObject problem = (JsonObject) p;
      out.add(problem.getString("key") + ": " + problem.getString("message"));
    }
    return out.isEmpty() ? saved.getString("message", "refused") : String.join("; ", out);
  }
}
