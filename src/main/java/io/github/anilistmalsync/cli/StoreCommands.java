package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.RunRecord;
import io.github.anilistmalsync.store.StateStore;
import io.github.anilistmalsync.store.UnmappedRecord;
import io.github.anilistmalsync.sync.TypeCounts;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The commands that only read or change the state store (status, unmapped, mappings): no network, no running
 * service needed. A running service sees a changed mapping on its next sync.
 */
final class StoreCommands {
  private StoreCommands() {}

  private static <T> T withStore(CommonOptions common, Function<StateStore, Future<T>> work) {
    Vertx vertx = Vertx.vertx();
    try {
      return StateStore.open(vertx, common.dataDir().resolve("state.db")).compose(store -> work.apply(store).eventually(store::close)).await();
    } finally {
      vertx.close().await();
    }
  }

  static int status(CommonOptions common, PrintStream out) {
    Path tokenFile = common.dataDir().resolve("tokens.json");
    Vertx vertx = Vertx.vertx();
    java.util.Map<String, io.github.anilistmalsync.auth.TokenStore.Token> tokens;
    try {
      tokens = new io.github.anilistmalsync.auth.TokenStore(vertx, tokenFile).load().await();
    } finally {
      vertx.close().await();
    }
    for (String service : new String[] {"anilist", "mal"}) {
      String label = service.equals("anilist") ? "AniList" : "MyAnimeList";
      io.github.anilistmalsync.auth.TokenStore.Token t = tokens.get(service);
      if (t == null) {
        out.println(label + ": needs sign-in (run `auth --service " + service + "`)");
      } else if (t.expiresAt() != null && t.expiresAt().isBefore(Instant.now())) {
        out.println(label + ": token expired " + t.expiresAt() + (t.refreshToken() != null ? " (it will be refreshed)" : " — sign in again"));
      } else {
        out.println(label + ": signed in" + (t.expiresAt() == null ? "" : ", token valid until " + t.expiresAt()
            + " (" + java.time.Duration.between(Instant.now(), t.expiresAt()).toDays() + " days)"));
      }
    }
    record Overview(List<RunRecord> runs, int unmapped) {}
    Overview overview = withStore(common, store -> store.journal().runs(1).compose(runs -> store.pairs().unmapped().map(u ->
        new Overview(runs, u.size()))));
    int unmapped = overview.unmapped();
    if (overview.runs().isEmpty()) {
      out.println("Last run: none yet");
    } else {
      RunRecord last = overview.runs().get(0);
      out.println("Last run: " + last.id() + " (" + last.trigger() + ", " + (last.dryRun() ? "dry run" : last.mode())
          + ") started " + last.startedAt() + ", " + (last.result() == null ? "did not finish" : last.result()));
      JsonObject types = last.summary() == null ? new JsonObject() : last.summary().getJsonObject("types", new JsonObject());
      for (String type : types.fieldNames()) {
        TypeCounts c = TypeCounts.fromJson(types.getJsonObject(type));
        out.printf("  %s: %d created, %d updated, %d deleted, %d unchanged, %d conflicts, %d errors%n", type.toLowerCase(),
            c.created(), c.updated(), c.deleted(), c.unchanged(), c.conflicts(), c.errors());
      }
      out.println("Next run: at the configured interval after the last one, while `run` is running");
    }
    out.println("Unmapped entries: " + unmapped + (unmapped > 0 ? " (see `unmapped`)" : ""));
    return ExitCode.OK;
  }

  static int unmapped(CommonOptions common, PrintStream out) {
    List<UnmappedRecord> list = withStore(common, store -> store.pairs().unmapped());
    if (list.isEmpty()) {
      out.println("Every entry is paired.");
      return ExitCode.OK;
    }
    out.printf("%-6s %-12s %9s  %-40s %s%n", "type", "only on", "id", "title", "why");
    for (UnmappedRecord u : list) {
      out.printf("%-6s %-12s %9d  %-40s %s%n", u.type().name().toLowerCase(), u.side() == Side.MAL ? "MyAnimeList" : "AniList",
          u.id(), u.title(), u.reason());
    }
    out.println("Pin one with: mappings pin TYPE MAL_ID ANILIST_ID   or leave it alone with: mappings ignore TYPE MAL_ID");
    return ExitCode.OK;
  }

  static int mapping(CommonOptions common, String action, String typeWord, int malId, Integer aniListId, PrintStream out, PrintStream err) {
    MediaType type;
    try {
      type = MediaType.parse(typeWord);
    } catch (IllegalArgumentException e) {
      err.println("TYPE must be anime or manga, not '" + typeWord + "'");
      return ExitCode.USAGE;
    }
    if (malId <= 0 || (aniListId != null && aniListId <= 0)) {
      err.println("ids must be positive numbers");
      return ExitCode.USAGE;
    }
    MalId mal = new MalId(malId);
    Instant now = Instant.now();
    switch (action) {
      case "pin" -> {
        if (aniListId == null) {
          err.println("pin needs the AniList media id: mappings pin " + typeWord + " " + malId + " ANILIST_ID");
          return ExitCode.USAGE;
        }
        withStore(common, store -> store.pairs().pin(type, mal, new AniListMediaId(aniListId), now));
        out.println("Pinned MAL " + type.word() + " " + malId + " to AniList " + aniListId + "; the next sync pairs them.");
      }
      case "ignore" -> {
        withStore(common, store -> store.pairs().ignore(type, mal, now));
        out.println("MAL " + type.word() + " " + malId + " will be left alone.");
      }
      case "remove" -> {
        withStore(common, store -> store.pairs().removeMapping(type, mal));
        out.println("Removed the decision for MAL " + type.word() + " " + malId + ".");
      }
      default -> {
        err.println("ACTION must be pin, ignore or remove, not '" + action + "'");
        return ExitCode.USAGE;
      }
    }
    return ExitCode.OK;
  }
}
