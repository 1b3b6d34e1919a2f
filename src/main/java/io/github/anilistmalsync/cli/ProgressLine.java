package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code run --once} on a terminal: one line of progress (phase, type, done/total), rewritten in place with a
 * carriage return, and wiped before the summary. Piped into a file or another program it prints nothing: a log
 * full of carriage returns helps no one. Titles are left out: they come from other people's databases and may hold
 * control characters.
 */
final class ProgressLine implements AutoCloseable {
  private final PrintStream out;
  private final MessageConsumer<JsonObject> consumer;
  private int width;

  private ProgressLine(Vertx vertx, PrintStream out) {
    this.out = out;
    this.consumer = vertx == null ? null : vertx.eventBus().consumer(Addresses.SYNC_PROGRESS, msg -> show(render(msg.body())));
  }

  /** A progress line when {@code terminal}, else one that shows nothing. */
  static ProgressLine start(Vertx vertx, PrintStream out, boolean terminal) {
    return new ProgressLine(terminal ? vertx : null, out);
  }

  /** "fetch anime 120/480": the phase, the type and how far it got. */
  static String render(JsonObject progress) {
    String type = progress.getString("type");
    return String.format(Locale.ROOT, "%s %s %d/%d", progress.getString("phase", "sync"),
        type == null ? "" : type.toLowerCase(Locale.ROOT), progress.getInteger("done", 0), progress.getInteger("total", 0)).replace("  ", " ");
  }

  private synchronized void show(String line) {
    // padded to the longest line so far, so a shorter one leaves nothing of the last behind
    width = Math.max(width, line.length());
    out.print("\r" + line + " ".repeat(width - line.length()));
    out.flush();
  }

  @Override
  public synchronized void close() {
    if (consumer != null) consumer.unregister();
    if (width > 0) {
      out.print("\r" + " ".repeat(width) + "\r");
      out.flush();
      width = 0;
    }
  }
}
