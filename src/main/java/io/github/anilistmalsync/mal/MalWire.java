package io.github.anilistmalsync.mal;

import io.github.anilistmalsync.client.EntryWire;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.ListStatus;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;

/**
 * The merge units as MAL's my_list_status form: the status word with its rewatch (reread) flag, always both, the
 * 0–10 score, dates as "2017-10", and the type's own names (num_watched_episodes, num_chapters_read, ...).
 */
public final class MalWire implements EntryWire {
  public static final MalWire INSTANCE = new MalWire();

  private MalWire() {}

  @Override
  public Side side() {
    return Side.MAL;
  }

  @Override
  public void put(JsonObject f, MediaType type, Unit unit, Object value) {
    boolean anime = type == MediaType.ANIME;
    switch (unit) {
      case STATUS -> {
        ListStatus s = (ListStatus) value;
        f.put("status", s == null ? null : s.malStatus().apiWord(type));
        f.put(rewatchFlag(type), s == null ? null : s.rewatching());
      }
      case PROGRESS -> f.put(anime ? "num_watched_episodes" : "num_chapters_read", value);
      case SCORE -> f.put("score", value);
      case VOLUMES -> {
        if (!anime) f.put("num_volumes_read", value);
      }
      case REPEAT -> f.put(anime ? "num_times_rewatched" : "num_times_reread", value);
      case START -> f.put("start_date", value == null ? null : ((FuzzyDate) value).toMalString());
      case FINISH -> f.put("finish_date", value == null ? null : ((FuzzyDate) value).toMalString());
      case NOTES -> f.put("comments", value);
    }
  }

  @Override
  public Object read(JsonObject f, MediaType type, Unit unit) {
    boolean anime = type == MediaType.ANIME;
    return switch (unit) {
      case STATUS -> f.getValue("status") instanceof String word
          ? ListStatus.onMal(MalStatus.parse(word), Boolean.TRUE.equals(f.getValue(rewatchFlag(type)))) : null;
      case PROGRESS -> EntryWire.number(f, anime ? "num_watched_episodes" : "num_chapters_read");
      case SCORE -> EntryWire.number(f, "score");
      case VOLUMES -> anime ? null : EntryWire.number(f, "num_volumes_read");
      case REPEAT -> EntryWire.number(f, anime ? "num_times_rewatched" : "num_times_reread");
      case START -> f.getValue("start_date") instanceof String d ? FuzzyDate.parseMal(d) : null;
      case FINISH -> f.getValue("finish_date") instanceof String d ? FuzzyDate.parseMal(d) : null;
      case NOTES -> EntryWire.text(f, "comments");
    };
  }

  private static String rewatchFlag(MediaType type) {
    return type == MediaType.ANIME ? "is_rewatching" : "is_rereading";
  }
}
