package io.github.anilistmalsync.anilist;

import io.github.anilistmalsync.client.EntryWire;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.ListStatus;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;

/** The merge units as SaveMediaListEntry's arguments: status, progress, scoreRaw (0–100), dates as FuzzyDate objects. */
public final class AniListWire implements EntryWire {
  public static final AniListWire INSTANCE = new AniListWire();

  private AniListWire() {}

  @Override
  public Side side() {
    return Side.ANILIST;
  }

  @Override
  public void put(JsonObject f, MediaType type, Unit unit, Object value) {
    switch (unit) {
      case STATUS -> f.put("status", value == null ? null : ((ListStatus) value).status().name());
      case PROGRESS -> f.put("progress", value);
      case SCORE -> f.put("scoreRaw", value);
      case VOLUMES -> {
        if (type == MediaType.MANGA) f.put("progressVolumes", value);
      }
      case REPEAT -> f.put("repeat", value);
      case START -> f.put("startedAt", value == null ? null : ((FuzzyDate) value).toJson());
      case FINISH -> f.put("completedAt", value == null ? null : ((FuzzyDate) value).toJson());
      case NOTES -> f.put("notes", value);
    }
  }

  @Override
  public Object read(JsonObject f, MediaType type, Unit unit) {
    return switch (unit) {
      case STATUS -> f.getValue("status") instanceof String word ? ListStatus.onAniList(AniListStatus.valueOf(word)) : null;
      case PROGRESS -> EntryWire.number(f, "progress");
      case SCORE -> EntryWire.number(f, "scoreRaw");
      case VOLUMES -> type == MediaType.MANGA ? EntryWire.number(f, "progressVolumes") : null;
      case REPEAT -> EntryWire.number(f, "repeat");
      case START -> f.getValue("startedAt") instanceof JsonObject d ? FuzzyDate.fromJson(d) : null;
      case FINISH -> f.getValue("completedAt") instanceof JsonObject d ? FuzzyDate.fromJson(d) : null;
      case NOTES -> EntryWire.text(f, "notes");
    };
  }
}
