package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.messageOf;
import static io.github.anilistmalsync.web.Pages.notice;
import static io.github.anilistmalsync.web.Pages.text;
import static io.github.anilistmalsync.web.Pages.urlPart;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.RunResult;
import io.github.anilistmalsync.sync.TypeCounts;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.words.ChangeWords;
import io.github.anilistmalsync.words.RunWords;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** History and Preview: every run, one run's writes with before and after, Undo; dry runs and applying exactly their plan. */
final class RunPages {
  /** A dry run can take minutes at the services' rate limits: the preview waits for it that long. */
  private static final long PREVIEW_TIMEOUT_MS = 30 * 60_000L;

  private final Pages pages;

  RunPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds these pages and their JSON API to the router. */
  void register(Router router) {
    router.get("/history").handler(this::showHistory);
    router.get("/history/:runId").handler(this::showRun);
    router.post("/history/:runId/undo").handler(this::undoFromPage);
    router.get("/api/runs").handler(ctx -> pages.request(Addresses.SYNC_RUNS, runsQuery(ctx))
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("runs", runRows(reply))))
        .onFailure(err -> apiFailure(ctx, err)));
    router.get("/api/runs/:runId").handler(ctx -> pages.request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> json(ctx, 200, runModel(run)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/runs/:runId/undo").handler(ctx -> undo(ctx.pathParam("runId"))
        .onSuccess(reply -> json(ctx, 200, runResult(reply)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.get("/preview").handler(this::showLatestPreview);
    router.post("/preview").handler(this::previewFromPage);
    router.get("/preview/:runId").handler(this::showPreview);
    router.post("/preview/:runId/apply").handler(this::applyFromPage);
    router.post("/api/preview").handler(ctx -> preview()
        .compose(runId -> pages.request(Addresses.SYNC_RUN, new JsonObject().put("runId", runId)))
        .onSuccess(run -> json(ctx, 200, runModel(run)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/preview/:runId/apply").handler(ctx -> apply(ctx.pathParam("runId"))
        .onSuccess(reply -> json(ctx, 200, runResult(reply).put("applyOf", reply.getString("applyOf"))))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  private static JsonObject runsQuery(RoutingContext ctx) {
    int limit = 100;
    try {
      String given = ctx.request().getParam("limit");
      if (given != null) {
        limit = Math.max(1, Math.min(1000, Integer.parseInt(given)));
      }
    } catch (NumberFormatException e) {
      // keep the default
    }
    return new JsonObject().put("limit", limit);
  }

  private static JsonObject runQuery(RoutingContext ctx) {
    return new JsonObject().put("runId", ctx.pathParam("runId"));
  }

  private void showHistory(RoutingContext ctx) {
    pages.request(Addresses.SYNC_RUNS, new JsonObject().put("limit", HistoryPage.RUNS_READ))
        .onSuccess(reply -> pages.render(ctx, 200, "history", HistoryPage.model(runRows(reply),
            ctx.request().getParam("trigger"), ctx.request().getParam("result"), ctx.request().getParam("page"),
            pages.page(ctx, "History", "history"))))
        .onFailure(err -> pages.pageFailure(ctx, err, "History", "history"));
  }

  /** One row per run: only plain fields, with the duration and per-type counts worked out for the page. */
  private static JsonArray runRows(JsonObject reply) {
    JsonArray rows = new JsonArray();
    for (Object o : reply.getJsonArray("runs", new JsonArray())) {
      if (o instanceof JsonObject run) {
        rows.add(runSummary(run));
      }
    }
    return rows;
  }

  private static JsonObject runSummary(JsonObject run) {
    boolean dryRun = Boolean.TRUE.equals(run.getBoolean("dryRun"));
    JsonObject summary = run.getValue("summary") instanceof JsonObject s ? s : new JsonObject();
    JsonObject types = summary.getValue("types") instanceof JsonObject t ? t : new JsonObject();
    String result = run.getString("result");
    boolean plan = RunResult.isPreview(run);
    JsonArray counts = new JsonArray();
    int changed = 0;
    for (String type : types.fieldNames()) {
      if (types.getValue(type) instanceof JsonObject c) {
        RunWords.TypeResult verdict = RunWords.forType(summary.copy().put("result", run.getString("result", "did not finish")), type);
        TypeCounts typeCounts = TypeCounts.fromJson(c);
        changed += typeCounts.changed();
        counts.add(new JsonObject().put("type", type).put("label", RunWords.typeLabel(type))
            .put("text", RunWords.counts(c, dryRun)).put("words", verdict.words()).put("tone", verdict.tone())
            .mergeIn(typeCounts.toJson()));
      }
    }
    JsonArray errors = new JsonArray();
    for (Object e : summary.getJsonArray("errors", new JsonArray())) {
      errors.add(String.valueOf(e));
    }
    String word = result == null ? "did not finish" : result;
    String tone = RunWords.tone(word, 0);
    return new JsonObject()
        .put("id", run.getString("id"))
        .put("trigger", run.getString("trigger"))
        .put("triggerLabel", HistoryPage.triggerLabel(run.getString("trigger"), dryRun))
        .put("startedAtTime", PageTime.minute(run.getString("startedAt")))
        .put("written", dryRun ? 0 : changed)
        .put("planned", dryRun ? changed : 0)
        .put("writtenText", dryRun ? (changed == 0 ? "nothing planned" : changed + " planned")
            : changed == 0 ? "nothing written" : changed + " written")
        .put("resultWords", RunWords.result(word, dryRun))
        .put("tone", tone)
        .put("failed", tone.equals("failed"))
        .put("mode", run.getString("mode"))
        .put("dryRun", dryRun)
        .put("modeLabel", dryRun ? "dry run" : run.getString("mode"))
        .put("startedAt", run.getString("startedAt"))
        .put("finishedAt", run.getString("finishedAt"))
        .put("duration", duration(run.getString("startedAt"), run.getString("finishedAt")))
        .put("result", result == null ? "did not finish" : result)
        .put("resultText", dryRun && "ok".equals(result) ? "Planned: nothing is written until you apply it" : RunWords.result(result, dryRun))
        .put("resultClass", RunWords.resultClass(result))
        // a finished run's notes (entries held back, a stale plan) are warnings; a failed run's are its errors
        .put("problemsClass", "ok".equals(result) || "status-warn".equals(RunWords.resultClass(result)) ? "warning" : "problems")
        .put("counts", counts)
        .put("errors", errors);
  }

  private static String duration(String started, String finished) {
    if (started == null || finished == null) {
      return "";
    }
    try {
      long ms = java.time.Duration.between(java.time.Instant.parse(started), java.time.Instant.parse(finished)).toMillis();
      return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void showRun(RoutingContext ctx) {
    pages.request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> pages.render(ctx, 200, "run", pages.page(ctx, "Run " + run.getString("id"), "history")
            .put("run", runModel(run))))
        .onFailure(err -> pages.pageFailure(ctx, err, "Run", "history"));
  }

  /**
   * A run with each entry it changed: side, kind, title, field before → after, status and error; and for the pages the
   * same in words (action, lines, why, outcome), made by {@link ChangeWords}.
   */
  static JsonObject runModel(JsonObject run) {
    JsonObject model = runSummary(run);
    boolean preview = RunResult.isPreview(model);
    ChangeWords words = ChangeWords.forRun(run, Instant.now());
    JsonArray entries = new JsonArray();
    boolean wrote = false;
    for (Object o : run.getJsonArray("operations", new JsonArray())) {
      if (!(o instanceof JsonObject op)) {
        continue;
      }
      JsonObject operation = op.getValue("operation") instanceof JsonObject x ? x : new JsonObject();
      JsonObject changes = operation.getValue("changes") instanceof JsonObject c ? c : new JsonObject();
      JsonArray fields = new JsonArray();
      for (String field : changes.fieldNames()) {
        JsonObject change = changes.getValue(field) instanceof JsonObject c ? c : new JsonObject();
        fields.add(new JsonObject().put("field", field)
            .put("before", text(change.getValue("before")))
            .put("after", text(change.getValue("after"))));
      }
      String status = op.getString("status");
      String error = op.getValue("error") == null ? null : String.valueOf(op.getValue("error"));
      wrote |= "applied".equals(status);
      entries.add(new JsonObject()
          .put("seq", op.getValue("seq"))
          .put("type", op.getString("type"))
          .put("side", op.getString("side"))
          .put("kind", op.getString("kind"))
          .put("title", op.getString("title"))
          .put("changes", fields)
          .put("reason", operation.getString("reason"))
          .put("status", status)
          .put("error", error)
          .mergeIn(inWords(words, operation, status, error, preview)));
    }
    int heldApart = 0;
    for (Object c : model.getJsonArray("counts", new JsonArray())) {
      if (c instanceof JsonObject counts) heldApart += TypeCounts.fromJson(counts).heldApart();
    }
    String id = model.getString("id");
    model.put("undoConfirm", "Undo run " + id + ": restores " + bySide(entries, true)
            + " to what they were before it. Entries changed since are left as they are.")
        .put("applyConfirm", "Apply the plan of " + id + ": writes " + bySide(entries, false) + ".");
    return model.put("entries", entries).put("empty", entries.isEmpty()).put("writeCount", entries.size())
        .put("heldApart", heldApart)
        .put("canUndo", wrote && !model.getBoolean("dryRun"))
        .put("preview", preview)
        .put("canApply", preview && !wrote && !entries.isEmpty());
  }

  /** "3 entries on AniList and 1 on MyAnimeList": the run's applied (or, for a plan, all) writes by the side written. */
  private static String bySide(JsonArray entries, boolean appliedOnly) {
    int aniList = 0;
    int mal = 0;
    for (Object o : entries) {
      JsonObject e = (JsonObject) o;
      if (appliedOnly && !"applied".equals(e.getString("status"))) continue;
      if ("ANILIST".equals(e.getString("side"))) aniList++; else mal++;
    }
    if (aniList > 0 && mal > 0) return RunWords.entries(aniList) + " on AniList and " + mal + " on MyAnimeList";
    return aniList > 0 ? RunWords.entries(aniList) + " on AniList" : RunWords.entries(mal) + " on MyAnimeList";
  }

  /**
   * The page's words for one journal row: {@code typeText}, {@code sideText}, {@code action} ("Will update on
   * AniList"), {@code lines}, {@code why}, and the {@code outcome} with its status class (a plan's rows have none).
   */
  private static JsonObject inWords(ChangeWords words, JsonObject operation, String status, String error, boolean plan) {
    Operation op;
    try {
      op = CoreJson.operation(operation);
    } catch (RuntimeException e) {
      return new JsonObject().put("action", "A change this version cannot read").put("lines", new JsonArray());
    }
    ChangeWords.Tense tense = ChangeWords.Tense.of(status, plan);
    JsonArray lines = new JsonArray();
    words.lines(op).forEach(line -> lines.add(line.toJson()));
    String outcome = switch (tense) {
      case DONE -> "Done";
      case FAILED -> "Failed" + (error == null ? "" : ": " + error);
      case NOT_SENT -> "Not sent" + (error == null ? "" : ": " + error);
      case PLANNED -> plan ? null : "Waiting";
    };
    String outcomeClass = switch (tense) {
      case DONE -> "status-ok";
      case FAILED -> "status-failed";
      case NOT_SENT -> "status-warn";
      case PLANNED -> "status-planned";
    };
    return new JsonObject()
        .put("typeText", op.key().type() == MediaType.MANGA ? "Manga" : "Anime")
        .put("sideText", op.target().label())
        .put("action", ChangeWords.action(op.kind(), op.target(), tense))
        .put("lines", lines)
        .put("why", words.why(op))
        .put("outcome", outcome)
        .put("outcomeClass", outcomeClass);
  }

  private Future<JsonObject> undo(String runId) {
    return pages.request(Addresses.SYNC_UNDO, new JsonObject().put("runId", runId), Math.max(pages.busTimeoutMs(), 120_000));
  }

  private static JsonObject runResult(JsonObject reply) {
    JsonArray errors = new JsonArray();
    for (Object e : reply.getJsonArray("errors", new JsonArray())) {
      errors.add(String.valueOf(e));
    }
    return new JsonObject()
        .put("runId", reply.getString("runId"))
        .put("undoOf", reply.getString("undoOf"))
        .put("result", reply.getString("result"))
        .put("types", reply.getValue("types") instanceof JsonObject t ? t : new JsonObject())
        .put("errors", errors);
  }

  private void undoFromPage(RoutingContext ctx) {
    String runId = ctx.pathParam("runId");
    undo(runId)
        .onSuccess(reply -> {
          JsonObject result = runResult(reply);
          int skipped = result.getJsonArray("errors").size();
          notice(ctx, skipped == 0 && "ok".equals(result.getString("result")) ? "ok" : "warn",
              "Undo of run " + runId + ": " + RunWords.inASentence(result.getString("result"))
              + (skipped == 0 ? "" : ", " + skipped + (skipped == 1 ? " entry" : " entries") + " skipped or failed") + ".");
          String target = result.getString("runId");
          ctx.redirect(target == null ? "/history/" + urlPart(runId) : "/history/" + urlPart(target));
        })
        .onFailure(err -> {
          notice(ctx, "failed", "Undo failed: " + ServiceException.from(err).getMessage());
          ctx.redirect("/history/" + urlPart(runId));
        });
  }

  /** Runs a dry run of every configured type to its end and answers its run id. */
  private Future<String> preview() {
    return pages.request(Addresses.SYNC_TRIGGER, new JsonObject().put("dryRun", true).put("trigger", "preview").put("wait", true),
            PREVIEW_TIMEOUT_MS)
        .map(reply -> reply.getString("runId"));
  }

  private Future<JsonObject> apply(String previewId) {
    return pages.request(Addresses.SYNC_APPLY, new JsonObject().put("runId", previewId), PREVIEW_TIMEOUT_MS);
  }

  /** The newest preview, or an invitation to make one. */
  private void showLatestPreview(RoutingContext ctx) {
    pages.request(Addresses.SYNC_RUNS, new JsonObject().put("limit", 100))
        .onSuccess(reply -> {
          for (Object o : reply.getJsonArray("runs", new JsonArray())) {
            if (o instanceof JsonObject run && RunResult.isPreview(run)) {
              ctx.redirect("/preview/" + urlPart(run.getString("id")));
              return;
            }
          }
          pages.render(ctx, 200, "preview", previewPage(ctx));
        })
        .onFailure(err -> pages.pageFailure(ctx, err, "Preview", "preview"));
  }

  private JsonObject previewPage(RoutingContext ctx) {
    return pages.page(ctx, "Preview", "preview").put("dryRunConfigured", pages.config().dryRun());
  }

  private void showPreview(RoutingContext ctx) {
    pages.request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> {
          JsonObject model = runModel(run);
          if (!model.getBoolean("preview")) {
            ctx.redirect("/history/" + urlPart(model.getString("id")));
            return;
          }
          model.put("canApply", model.getBoolean("canApply") && !pages.config().dryRun());
          pages.render(ctx, 200, "preview", previewPage(ctx).put("run", model));
        })
        .onFailure(err -> pages.pageFailure(ctx, err, "Preview", "preview"));
  }

  private void previewFromPage(RoutingContext ctx) {
    preview()
        .onSuccess(runId -> ctx.redirect("/preview/" + urlPart(runId)))
        .onFailure(err -> {
          notice(ctx, "failed", "The preview could not be made: " + messageOf(err));
          ctx.redirect("/preview");
        });
  }

  private void applyFromPage(RoutingContext ctx) {
    String previewId = ctx.pathParam("runId");
    apply(previewId)
        .onSuccess(reply -> {
          String runId = reply.getString("runId");
          if ("planChanged".equals(reply.getString("result"))) {
            notice(ctx, "warn", "The lists changed since that preview, so nothing was written. This is the new plan: apply it if it is right.");
            ctx.redirect("/preview/" + urlPart(runId));
          } else {
            JsonObject result = runResult(reply);
            int errors = result.getJsonArray("errors").size();
            notice(ctx, errors == 0 && "ok".equals(result.getString("result")) ? "ok" : "failed",
                "Applied the plan of " + previewId + ": " + RunWords.inASentence(result.getString("result"))
                + (errors == 0 ? "." : ", " + RunWords.count(errors, "error") + "."));
            ctx.redirect("/history/" + urlPart(runId));
          }
        })
        .onFailure(err -> {
          notice(ctx, "failed", "Not applied: " + messageOf(err));
          ctx.redirect("/preview/" + urlPart(previewId));
        });
  }
}
