package io.github.anilistmalsync.store;

import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQLite database ({@code data/state.db}) the stores share: opened private, migrated to the current schema
 * ({@link Migrations}), and reached only through {@link #tx}. One connection, used from one worker thread, so
 * statements never block an event loop and never interleave; each unit of work is one transaction.
 */
final class Database {
  /** A unit of work on the connection, in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection db) throws Exception;
  }

  private final WorkerExecutor worker;
  private final Connection db;

  private Database(WorkerExecutor worker, Connection db) {
    this.worker = worker;
    this.db = db;
  }

  /** Opens (creating if needed) the database at {@code file} and brings its schema up to date. */
  static Future<Database> open(Vertx vertx, Path file) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("state-store-" + file.toAbsolutePath(), 1);
    return worker.executeBlocking(() -> {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) AtomicFiles.createPrivateDirectory(parent);
        // SQLite gives its -wal and -shm files the database file's mode, so a private database keeps them private.
        if (!Files.exists(file)) AtomicFiles.createOwnerOnly(file);
        else AtomicFiles.makePrivate(file);
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL");
          s.execute("PRAGMA busy_timeout=5000");
          s.execute("PRAGMA foreign_keys=ON");
        }
        migrate(db);
        for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
          AtomicFiles.makePrivate(file.resolveSibling(file.getFileName() + suffix));
        }
        return new Database(worker, db);
      } catch (Exception e) {
        throw new IllegalStateException("could not open the state store " + file + ": " + e.getMessage(), e);
      }
    }, true).onFailure(e -> worker.close());
  }

  private static void migrate(Connection db) throws SQLException {
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      int version;
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
      if (version > Migrations.VERSIONS.size()) {
        throw new SQLException("the state store is from a newer version of anilist-mal-sync (schema " + version
            + ", this version knows " + Migrations.VERSIONS.size() + "); upgrade the service or restore a backup");
      }
      for (int v = version; v < Migrations.VERSIONS.size(); v++) {
        for (String sql : Migrations.VERSIONS.get(v)) s.execute(sql);
        s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  Future<Void> close() {
    return worker.<Void>executeBlocking(() -> {
      db.close();
      return null;
    }, true).eventually(worker::close);
  }

  /** Runs {@code work} on the worker thread in one transaction; a failure rolls it back and names {@code what}. */
  <T> Future<T> tx(String what, Work<T> work) {
    return worker.executeBlocking(() -> {
      synchronized (db) {
        db.setAutoCommit(false);
        try {
          T result = work.run(db);
          db.commit();
          return result;
        } catch (Exception e) {
          db.rollback();
          throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        } finally {
          db.setAutoCommit(true);
        }
      }
    }, true);
  }
}
