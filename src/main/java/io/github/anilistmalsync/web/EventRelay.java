package io.github.anilistmalsync.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Numbers the events meant for browsers and fans them out to the open streams. Keeps the last {@code capacity}
 * events so a browser reconnecting with {@code Last-Event-ID} gets what it missed. Event-loop confined.
 */
final class EventRelay {

  /** One event as sent on the stream: {@code id}, {@code event} and one line of JSON. */
  record Event(long id, String name, String json) {
    String toWire() {
      return "id: " + id + "\nevent: " + name + "\ndata: " + json + "\n\n";
    }
  }

  private final int capacity;
  private final Deque<Event> recent = new ArrayDeque<>();
  private final Set<Consumer<Event>> listeners = new CopyOnWriteArraySet<>();
  private long nextId;

  /**
   * Ids start at the clock's milliseconds so they keep increasing across a restart: a browser that reconnects with
   * an id from the previous run gets the new run's buffered events instead of skipping them.
   */
  EventRelay(int capacity, long firstId) {
    this.capacity = capacity;
    this.nextId = firstId;
  }

  /** {@code json} must be one line (JsonObject.encode() is). */
  Event publish(String name, String json) {
    Event event = new Event(nextId++, name, json);
    recent.addLast(event);
    while (recent.size() > capacity) {
      recent.removeFirst();
    }
    listeners.forEach(l -> l.accept(event));
    return event;
  }

  /** The buffered events after {@code lastId}, oldest first (all buffered ones if it is older than the buffer). */
  List<Event> since(long lastId) {
    List<Event> out = new ArrayList<>();
    for (Event e : recent) {
      if (e.id() > lastId) {
        out.add(e);
      }
    }
    return out;
  }

  /** The newest buffered event of that name, or null. */
  Event latest(String name) {
    for (var it = recent.descendingIterator(); it.hasNext(); ) {
      Event e = it.next();
      if (e.name().equals(name)) {
        return e;
      }
    }
    return null;
  }

  void subscribe(Consumer<Event> listener) {
    listeners.add(listener);
  }

  void unsubscribe(Consumer<Event> listener) {
    listeners.remove(listener);
  }

  int listenerCount() {
    return listeners.size();
  }
}
