package io.github.anilistmalsync.words;

import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.ListStatus;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Says what a write does in a user's words — "Score 50 → 60 (AniList, 100-point)", "Started — → 1 May 2020",
 * "Updated on AniList", "Edited on MyAnimeList 2 h ago" — the one formatter for History, the run page, Preview, the
 * Library and webhooks, so no page shows a request field or JSON. {@code now} anchors "2 h ago"; the user's AniList
 * score format (null when not known) says how AniList's scores read, else they read on AniList's 100-point scale.
 */
public final class ChangeWords {
  private final Instant now;
  private final ScoreFormat aniListFormat;

  public ChangeWords(Instant now, ScoreFormat aniListFormat) {
    this.now = now;
    this.aniListFormat = aniListFormat;
  }

  /** For the writes of one run as {@code sync.run} answers it (or {@code sync.finished}): its score format, if recorded. */
  public static ChangeWords forRun(JsonObject run, Instant now) {
    JsonObject summary = run.getValue("summary") instanceof JsonObject s ? s : run;
    JsonObject types = summary.getValue("types") instanceof JsonObject t ? t : new JsonObject();
    return new ChangeWords(now, scoreFormat(types));
  }

  /** The AniList score format a run's per-type counts recorded, or null. */
  static ScoreFormat scoreFormat(JsonObject types) {
    for (String type : types.fieldNames()) {
      if (types.getValue(type) instanceof JsonObject counts && counts.getValue("scoreFormat") instanceof String name) {
        try {
          return ScoreFormat.valueOf(name);
        } catch (IllegalArgumentException e) {
          // an unknown format reads as AniList's 100-point values
        }
      }
    }
    return null;
  }

  /** Where a write stands: still to happen (a preview's plan), made, failed, or held back. */
  public enum Tense {
    PLANNED, DONE, FAILED, NOT_SENT;

    /** From the run journal: a row's status, and whether the run is a plan to read (a preview) rather than a sync. */
    public static Tense of(String status, boolean plan) {
      if ("applied".equals(status)) return DONE;
      if ("failed".equals(status)) return FAILED;
      if ("skipped".equals(status) && !plan) return NOT_SENT;
      return PLANNED;
    }
  }

  /**
   * One unit's change: {@code label} ("Score"), the target's value before (null for a new entry: no arrow) and after,
   * {@code where} the values are ("AniList, 100-point"), {@code other} the other side's value when it reads
   * differently ("MyAnimeList has 6"); for notes the texts themselves, shown on demand.
   */
  public record Line(String label, String before, String after, String where, String other, String textBefore, String textAfter) {
    /** "Score 50 → 60 (AniList, 100-point); MyAnimeList has 6". */
    public String text() {
      StringBuilder s = new StringBuilder(label).append(' ');
      if (before != null) s.append(before).append(" → ");
      s.append(after);
      if (where != null) s.append(" (").append(where).append(')');
      if (other != null) s.append("; ").append(other);
      return s.toString();
    }

    public boolean hasText() {
      return textAfter != null;
    }

    public JsonObject toJson() {
      return new JsonObject().put("label", label).put("before", before).put("after", after).put("where", where)
          .put("other", other).put("hasText", hasText()).put("textBefore", textBefore).put("textAfter", textAfter)
          .put("text", text());
    }
  }

  /** Each unit the write changes, in the merge's order; a removal changes none. */
  public List<Line> lines(Operation op) {
    List<Line> lines = new ArrayList<>();
    op.changes().values().forEach(c -> lines.add(line(c, op.key().type(), op.target(),
        op.sourceState() == null ? null : op.sourceState().score100())));
    return lines;
  }

  /**
   * One change on {@code target}. {@code sourceScore100} is the score the write copies on the 100-point scale (null
   * when not known): a score then also says what the other side holds, in that side's own scale.
   */
  public Line line(Change<?> change, MediaType type, Side target, Integer sourceScore100) {
    boolean created = change.before() == null;
    String before = created ? null : String.valueOf(change.before());
    if (change instanceof Change.Status c) {
      return plain(label(Unit.STATUS, type), created ? null : status(c.before(), type, target), status(c.after(), type, target));
    } else if (change instanceof Change.Progress c) {
      return plain(label(Unit.PROGRESS, type), before, count(c.after(), type == MediaType.MANGA ? "chapter" : "episode"));
    } else if (change instanceof Change.Volumes c) {
      return plain(label(Unit.VOLUMES, type), before, String.valueOf(c.after()));
    } else if (change instanceof Change.Repeat c) {
      return plain(label(Unit.REPEAT, type), before, String.valueOf(c.after()));
    } else if (change instanceof Change.Started c) {
      return plain(label(Unit.START, type), created ? null : date(c.before()), date(c.after()));
    } else if (change instanceof Change.Finished c) {
      return plain(label(Unit.FINISH, type), created ? null : date(c.before()), date(c.after()));
    } else if (change instanceof Change.Notes c) {
      return notes(c);
    }
    return score((Change.Score) change, sourceScore100);
  }

  private static Line plain(String label, String before, String after) {
    return new Line(label, before, after, null, null, null, null);
  }

  private Line score(Change.Score c, Integer sourceScore100) {
    Side side = c.side();
    String other = null;
    if (sourceScore100 != null && sourceScore100 > 0) {
      Side from = side.other();
      other = from.label() + " has " + score(from, from == Side.MAL ? Math.round(sourceScore100 / 10f) : sourceScore100)
          + (from == Side.ANILIST ? " (" + aniListScale() + ")" : "");
    }
    return new Line("Score", c.before() == null ? null : score(side, c.before()), score(side, c.after()),
        side == Side.ANILIST ? "AniList, " + aniListScale() : "MyAnimeList", other, null, null);
  }

  private static Line notes(Change.Notes c) {
    String before = c.before() == null ? "" : c.before();
    String after = c.after() == null ? "" : c.after();
    String what = before.isEmpty() ? "added" : after.isEmpty() ? "removed" : "changed";
    return new Line("Notes", null, what, null, null, before.isEmpty() ? "(none)" : before, after.isEmpty() ? "(none)" : after);
  }

  /** "Will update on AniList", "Created on AniList", "Removed from MyAnimeList", "Could not update on MyAnimeList". */
  public static String action(Operation.Kind kind, Side target, Tense tense) {
    String on = kind == Operation.Kind.DELETE ? " from " + target.label() : " on " + target.label();
    String done = switch (kind) {
      case CREATE -> "created";
      case UPDATE -> "updated";
      case DELETE -> "removed";
    };
    boolean update = kind == Operation.Kind.UPDATE;
    return switch (tense) {
      case PLANNED -> update ? "Will update" : "Will be " + done;
      case DONE -> Character.toUpperCase(done.charAt(0)) + done.substring(1);
      case FAILED -> update ? "Could not update" : "Could not be " + done;
      case NOT_SENT -> "Not " + done;
    } + on;
  }

  /**
   * Why this side is written, in a sentence: "Edited on MyAnimeList 2 h ago.", "Only on AniList (edited 3 days ago).",
   * "Deleted on AniList (sync.deletions: propagate).", or, without an edit time, "MyAnimeList changed since the last sync."
   */
  public String why(Operation op) {
    Side source = op.target().other();
    String reason = op.reason() == null ? "" : op.reason();
    String edited = op.sourceEditedAt() == null ? null : ago(op.sourceEditedAt());
    return switch (op.kind()) {
      case UPDATE -> reason.startsWith("undo") ? sentence(reason)
          : edited != null ? "Edited on " + source.label() + " " + edited + "." : source.label() + " changed since the last sync.";
      case CREATE -> reason.startsWith("only on") && edited != null
          ? sentence(reason + " (edited " + edited + ")") : sentence(reason);
      case DELETE -> sentence(reason);
    };
  }

  /** One line for a webhook or a log reader: "Frieren: Updated on AniList — Score 5 → 6 (MyAnimeList). Edited on … ." */
  public String summary(Operation op, Tense tense) {
    StringBuilder s = new StringBuilder(op.title() == null ? "" : op.title() + ": ").append(action(op.kind(), op.target(), tense));
    List<String> texts = lines(op).stream().map(Line::text).toList();
    if (!texts.isEmpty()) s.append(" — ").append(String.join("; ", texts));
    return s.append(". ").append(why(op)).toString();
  }

  /** {@link #summary} of one row of {@code sync.run}'s {@code operations} ({seq, type, side, kind, title, operation, status, error}). */
  public String summary(JsonObject journalRow, boolean plan) {
    Operation op = CoreJson.operation(journalRow.getJsonObject("operation"));
    return summary(op, Tense.of(journalRow.getString("status"), plan));
  }

  // ---- values ------------------------------------------------------------------------------------------------

  /**
   * A unit's value on {@code side} in words, as {@code Convert.valueOn} answers it (ListStatus, Integer, FuzzyDate or
   * String): for pages that show both sides' values side by side.
   */
  public String value(Unit unit, Side side, MediaType type, Object value) {
    if (value == null) return "—";
    return switch (unit) {
      case STATUS -> status((ListStatus) value, type, side);
      case PROGRESS -> count((Integer) value, type == MediaType.MANGA ? "chapter" : "episode");
      case SCORE -> score(side, (Integer) value);
      case VOLUMES -> count((Integer) value, "volume");
      case REPEAT -> value + (type == MediaType.MANGA ? " rereads" : " rewatches");
      case START, FINISH -> date((FuzzyDate) value);
      case NOTES -> ((String) value).isEmpty() ? "—" : (String) value;
    };
  }

  /**
   * One field whose two sides differ, both values in words: "Score: AniList 80 (100-point), MyAnimeList 7",
   * "Started: AniList 1 May 2020, MyAnimeList —"; notes are only said to differ (the texts can be long).
   */
  public String difference(Unit unit, MediaType type, NeutralState aniList, NeutralState mal) {
    String label = label(unit, type);
    if (unit == Unit.NOTES) return label + " differ between AniList and MyAnimeList";
    String ani = value(unit, Side.ANILIST, type, Convert.valueOn(Side.ANILIST, type, unit, aniList));
    String other = value(unit, Side.MAL, type, Convert.valueOn(Side.MAL, type, unit, mal));
    return label + ": AniList " + ani + (unit == Unit.SCORE && !"—".equals(ani) ? " (" + aniListScale() + ")" : "")
        + ", MyAnimeList " + other;
  }

  /**
   * A value the core wrote as text (a conflict's or a held-apart line's: the status's name, a date as "2020-05-01")
   * in words; anything else as it is.
   */
  public static String described(Unit unit, MediaType type, Side side, String text) {
    if (text == null) return "—";
    try {
      return switch (unit) {
        case STATUS -> status(ListStatus.onAniList(AniListStatus.valueOf(text.trim().toUpperCase(Locale.ROOT))), type, side);
        case START, FINISH -> "—".equals(text) ? text : date(FuzzyDate.parseMal(text));
        default -> text;
      };
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /**
   * A core's difference line ("status: AniList CURRENT, MyAnimeList COMPLETED") in words ("Status: AniList Watching,
   * MyAnimeList Completed"), for a page that has the line but not the two states; a line of no known unit as it is.
   */
  public static String difference(String line, Unit unit, MediaType type) {
    String rest = line.substring(line.indexOf(": ") + 2);
    int split = rest.indexOf(", MyAnimeList ");
    if (unit == null || !rest.startsWith("AniList ") || split < 0) return line;
    return label(unit, type) + ": AniList " + described(unit, type, Side.ANILIST, rest.substring("AniList ".length(), split))
        + ", MyAnimeList " + described(unit, type, Side.MAL, rest.substring(split + ", MyAnimeList ".length()));
  }

  /** The unit of a configuration name ({@code score}, {@code start_date}), or null. */
  public static Unit unit(String configName) {
    for (Unit u : Unit.values()) {
      if (u.configName().equals(configName)) return u;
    }
    return null;
  }

  /** A unit's name as a page heads its value: "Score", "Started", "Times reread". */
  public static String label(Unit unit, MediaType type) {
    return switch (unit) {
      case STATUS -> "Status";
      case PROGRESS -> "Progress";
      case SCORE -> "Score";
      case VOLUMES -> "Volumes";
      case REPEAT -> type == MediaType.MANGA ? "Times reread" : "Times rewatched";
      case START -> "Started";
      case FINISH -> "Finished";
      case NOTES -> "Notes";
    };
  }

  /** How {@code side} keeps its scores: "100-point" (or the user's AniList format), "10-point" on MyAnimeList. */
  public String scale(Side side) {
    return side == Side.MAL ? "10-point" : aniListScale();
  }

  /**
   * "Watching", "Plan to read", "Rewatching" (AniList's REPEATING, or MAL's rewatch flag on any status); a paused
   * entry is "On hold" on MyAnimeList, as MAL says it.
   */
  public static String status(ListStatus s, MediaType type, Side side) {
    boolean manga = type == MediaType.MANGA;
    if (s.rewatching() || s.status() == AniListStatus.REPEATING) return manga ? "Rereading" : "Rewatching";
    return switch (s.status()) {
      case CURRENT -> manga ? "Reading" : "Watching";
      case PLANNING -> manga ? "Plan to read" : "Plan to watch";
      case COMPLETED -> "Completed";
      case PAUSED -> side == Side.MAL ? "On hold" : "Paused";
      case DROPPED -> "Dropped";
      case REPEATING -> manga ? "Rereading" : "Rewatching";
    };
  }

  /** "1 May 2020", "May 2020", "2020", or "—" for no date. */
  public static String date(FuzzyDate d) {
    if (d == null || d.isEmpty()) return "—";
    if (d.month() == null) return String.valueOf(d.year());
    String month = Month.of(d.month()).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    return (d.day() == null ? "" : d.day() + " ") + month + " " + d.year();
  }

  /** A score as {@code side} shows it: MAL's 0–10, AniList's in the user's format; 0 is no score ("—"). */
  public String score(Side side, int value) {
    if (value <= 0) return "—";
    if (side == Side.MAL || aniListFormat == null || aniListFormat == ScoreFormat.POINT_100) return String.valueOf(value);
    double shown = aniListFormat.display(value);
    return switch (aniListFormat) {
      case POINT_10_DECIMAL -> String.format(Locale.ROOT, "%.1f", shown);
      case POINT_3 -> (int) shown + " of 3";
      default -> String.valueOf((int) shown);
    };
  }

  /** How AniList's scores read: the user's format, or the 100-point scale AniList keeps them in. */
  private String aniListScale() {
    return switch (aniListFormat == null ? ScoreFormat.POINT_100 : aniListFormat) {
      case POINT_100 -> "100-point";
      case POINT_10_DECIMAL -> "10-point decimal";
      case POINT_10 -> "10-point";
      case POINT_5 -> "5-star";
      case POINT_3 -> "3-smiley";
    };
  }

  /** "2 h ago", "5 min ago", "just now", "3 days ago", or the day for anything older than a month. */
  public String ago(Instant at) {
    Duration d = Duration.between(at, now);
    if (d.isNegative() || d.toSeconds() < 60) return "just now";
    if (d.toMinutes() < 60) return d.toMinutes() + " min ago";
    if (d.toHours() < 24) return d.toHours() + " h ago";
    if (d.toDays() < 31) return d.toDays() == 1 ? "yesterday" : d.toDays() + " days ago";
    var day = at.atZone(ZoneOffset.UTC).toLocalDate();
    return "on " + date(FuzzyDate.of(day.getYear(), day.getMonthValue(), day.getDayOfMonth()));
  }

  private static String count(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private static String sentence(String text) {
    if (text.isEmpty()) return "";
    String s = Character.toUpperCase(text.charAt(0)) + text.substring(1);
    return s.endsWith(".") ? s : s + ".";
  }
}
