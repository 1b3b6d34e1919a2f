package io.github.anilistmalsync.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The state store ({@code data/state.db}) as its users see it: one store per aggregate, wired on one database the way
 * Okapi's {@code Storage} wires its stores. {@link #pairs()} holds what is known about each pair, {@link #journal()}
 * what each run did, {@link #watermarks()} how far live sync has read.
 */
public final class StateStore {
  private final Database database;
  private final PairStore pairs;
  private final RunJournal journal;
  private final WatermarkStore watermarks;
  private final LibraryStore library;

  private StateStore(Database database) {
    this.database = database;
    this.pairs = new PairStore(database);
    this.journal = new RunJournal(database);
    this.watermarks = new WatermarkStore(database);
    this.library = new LibraryStore(database, pairs);
  }

  /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
  public static Future<StateStore> open(Vertx vertx, Path file) {
    return Database.open(vertx, file).map(StateStore::new);
  }

  public Future<Void> close() {
    return database.close();
  }

  /** Mappings, unmapped entries, baselines, tombstones, and the notes on pairs (held apart, refusals, settle requests). */
  public PairStore pairs() {
    return pairs;
  }

  /** Runs, their plans, operations and conflicts. */
  public RunJournal journal() {
    return journal;
  }

  /** Live sync's watermarks. */
  public WatermarkStore watermarks() {
    return watermarks;
  }

  /** The Library's rows: both lists as the last runs read them. */
  public LibraryStore library() {
    return library;
  }
}
