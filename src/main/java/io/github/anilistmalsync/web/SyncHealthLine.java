package io.github.anilistmalsync.web;

import io.github.anilistmalsync.words.RunWords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one line at the top of every page that answers "are my lists in sync?": "In sync — 1,284 entries, checked 2 min
 * ago", or, in the colour of trouble, "Sync failed 5 min ago: … — next try in 10 min" or "3 entries need you", with
 * the link that helps. Made from what {@code /api/status} gathers: the coordinator's status and the sign-in states.
 *
 * <p>The model: {tone: ok|warn|failed|busy, icon, text (the whole sentence), parts: [{text} or {iso, text, title}],
 * link?: {href, text}}; a part with an {@code iso} is a {@code <time>}.
 */
final class SyncHealthLine {
  private final List<JsonObject> parts = new ArrayList<>();
  private String tone = "ok";
  private JsonObject link;

  private SyncHealthLine() {}

  /**
   * @param status   the coordinator's {@code sync.status} reply, null when it did not answer
   * @param services the sign-in states ({@link AccountPages#accounts}), empty when unknown
   */
  static JsonObject of(JsonObject status, JsonArray services, Instant now) {
    return new SyncHealthLine().build(status, services == null ? new JsonArray() : services, now).toJson();
  }

  private SyncHealthLine build(JsonObject status, JsonArray services, Instant now) {
    if (status == null) {
      return tone("failed").say("Not syncing: the sync part of the service does not answer (the log says why).");
    }
    List<JsonObject> lastRuns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    String nextRun = null;
    for (Object o : status.getJsonArray("types", new JsonArray())) {
      if (!(o instanceof JsonObject t)) continue;
      types.add(t.getString("type", ""));
      lastRuns.add(t.getValue("lastRun") instanceof JsonObject l ? l : null);
      String next = t.getString("nextRunAt");
      if (next != null && PageTime.parse(next) != null && (nextRun == null || next.compareTo(nextRun) < 0)) nextRun = next;
    }
    boolean everSynced = lastRuns.stream().anyMatch(java.util.Objects::nonNull);

    List<String> signedOut = new ArrayList<>();
    for (Object o : services) {
      if (o instanceof JsonObject s && "needsSignIn".equals(s.getString("state"))) signedOut.add(s.getString("name"));
    }
    if (!signedOut.isEmpty()) {
      String names = String.join(" and ", signedOut);
      return everSynced
          ? tone("failed").say(names + (signedOut.size() == 1 ? " needs" : " need") + " you to sign in again: nothing syncs until then.")
              .link("/accounts", "Sign in")
          : tone("warn").say("Not syncing yet: connect " + names + " to start.").link("/accounts", "Connect");
    }

    if (status.getString("running") != null) {
      return tone("busy").say("Syncing now…");
    }

    // the worst of each type's own result in its last run
    String failedRun = null;
    String failedAt = null;
    List<String> failedTypes = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    String warnResult = null;
    String warnRun = null;
    String warnAt = null;
    int needYou = 0;
    int inSync = 0;
    boolean countable = true;
    int planned = 0;
    String plannedRun = null;
    String checked = null;
    for (int i = 0; i < types.size(); i++) {
      JsonObject last = lastRuns.get(i);
      if (last == null) {
        countable = false;
        continue;
      }
      String type = types.get(i);
      String at = last.getString("finishedAt");
      if (at != null && (checked == null || at.compareTo(checked) > 0)) checked = at;
      RunWords.TypeResult verdict = RunWords.forType(last, type);
      if (verdict.failed()) {
        failedTypes.add(type);
        if (failedRun == null || (at != null && (failedAt == null || at.compareTo(failedAt) > 0))) {
          failedRun = last.getString("runId");
          failedAt = at;
        }
        for (String r : verdict.reasons()) {
          if (!reasons.contains(r)) reasons.add(r);
        }
      } else if (verdict.tone().equals("warn") && !verdict.result().equals("ok")) {
        warnResult = verdict.result();
        warnRun = last.getString("runId");
        warnAt = at;
      }
      JsonObject counts = last.getJsonObject("types", new JsonObject()).getJsonObject(type);
      if (counts == null) {
        countable = false;
        continue;
      }
      needYou += counts.getInteger("unmapped", 0) + counts.getInteger("heldApart", 0);
      boolean dry = Boolean.TRUE.equals(last.getBoolean("dryRun"));
      int writes = counts.getInteger("created", 0) + counts.getInteger("updated", 0) + counts.getInteger("deleted", 0);
      if (dry && writes > 0) {
        planned += writes;
        plannedRun = last.getString("runId");
      }
      // an undo counts only what it restored: it says nothing of how many entries agree
      if ("undo".equals(last.getString("trigger"))) countable = false;
      inSync += counts.getInteger("unchanged", 0) + (dry ? 0 : counts.getInteger("created", 0) + counts.getInteger("updated", 0));
    }

    if (!failedTypes.isEmpty()) {
      String what = failedTypes.size() == types.size() ? "Sync" : capitalised(String.join(" and ", failedTypes)) + " sync";
      tone("failed").say(what + " failed ").time(PageTime.relative(failedAt, now));
      if (!reasons.isEmpty()) {
        say(": " + trimmed(reasons.get(0)));
        if (reasons.size() > 1) say(" (and " + (reasons.size() - 1) + " more)");
      }
      nextTry(nextRun, now, " — next try ");
      return failedRun == null ? this : link("/history/" + Pages.urlPart(failedRun), "What happened");
    }
    if (warnResult != null) {
      tone("warn");
      if (warnResult.equals("refused")) {
        say("Sync stopped by the mass-change guard ").time(PageTime.relative(warnAt, now))
            .say(": nothing was written. Preview it, and apply it if it is right.");
        return link("/preview", "Preview");
      }
      say("Not applied ").time(PageTime.relative(warnAt, now)).say(": the lists changed since the preview.");
      return warnRun == null ? this : link("/preview/" + Pages.urlPart(warnRun), "See the new plan");
    }
    JsonObject live = status.getJsonObject("live", new JsonObject());
    String liveAt = live.getString("checkedAt");
    if ("failed".equals(live.getString("result")) && liveAt != null) {
      return tone("failed").say("Live sync failed ").time(PageTime.relative(liveAt, now))
          .say(": " + trimmed(live.getString("error", "the log says why")) + " — the next poll reads the same changes.");
    }
    if (!everSynced) {
      tone("warn").say("Not synced yet");
      nextTry(nextRun, now, " — first sync ");
      return say(".");
    }
    if (needYou > 0) {
      return tone("warn").say(RunWords.entries(needYou) + (needYou == 1 ? " needs" : " need") + " you: unmapped or held apart.")
          .link("/library?state=needs_you", "Sort them out");
    }
    if (planned > 0) {
      tone("warn").say(planned + (planned == 1 ? " change" : " changes") + " planned and not written yet.");
      return plannedRun == null ? this : link("/preview/" + Pages.urlPart(plannedRun), "Review");
    }
    if (liveAt != null && (checked == null || liveAt.compareTo(checked) > 0)) checked = liveAt;
    tone("ok").say(countable ? "In sync — " + RunWords.entries(inSync) + ", checked " : "In sync, checked ");
    return time(PageTime.relative(checked, now));
  }

  private void nextTry(String nextRun, Instant now, String lead) {
    JsonObject next = PageTime.relative(nextRun, now);
    if (next != null && PageTime.parse(nextRun).isAfter(now)) say(lead).time(next);
  }

  private static String capitalised(String typeNames) {
    String s = typeNames.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** One reason, short enough for one line. */
  private static String trimmed(String reason) {
    String r = reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason;
    return r.length() > 160 ? r.substring(0, 157) + "…" : r;
  }

  private SyncHealthLine tone(String tone) {
    this.tone = tone;
    return this;
  }

  private SyncHealthLine say(String text) {
    parts.add(new JsonObject().put("text", text));
    return this;
  }

  private SyncHealthLine time(JsonObject time) {
    if (time != null) parts.add(time);
    return this;
  }

  private SyncHealthLine link(String href, String text) {
    this.link = new JsonObject().put("href", href).put("text", text);
    return this;
  }

  private JsonObject toJson() {
    StringBuilder text = new StringBuilder();
    parts.forEach(p -> text.append(p.getString("text")));
    String icon = switch (tone) {
      case "ok" -> "✓";
      case "busy" -> "↻";
      case "warn" -> "!";
      default -> "✕";
    };
    return new JsonObject().put("tone", tone).put("icon", icon).put("text", text.toString())
        .put("parts", new JsonArray(new ArrayList<>(parts))).put("link", link);
  }
}
