package io.github.anilistmalsync.bus;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/**
 * Whole lists as the client verticles answer them: the immutable records themselves, handed over inside the process.
 * As JSON, a 5,000-entry list existed three times at once (the client's JSON, the bus's copy of it, the records made
 * back from it), and two types side by side overflowed the container's 64 MB heap. This bus never leaves the process.
 */
public final class FetchedLists {
  private FetchedLists() {}

  /**
   * AniList's list of one type, with the user's id and score format. {@code skipped} names, by title and id, each
   * entry that could not be read (an unknown status, a date that does not parse) and so is not in {@code entries}.
   */
  public record AniListList(long userId, String scoreFormat, List<AniListEntry> entries, List<String> skipped) {
    public AniListList {
      entries = List.copyOf(entries);
      skipped = List.copyOf(skipped);
    }

    public AniListList(long userId, String scoreFormat, List<AniListEntry> entries) {
      this(userId, scoreFormat, entries, List.of());
    }
  }

  /** MAL's list of one type; {@code skipped} as for AniList. */
  public record MalList(List<MalEntry> entries, List<String> skipped) {
    public MalList {
      entries = List.copyOf(entries);
      skipped = List.copyOf(skipped);
    }

    public MalList(List<MalEntry> entries) {
      this(entries, List.of());
    }
  }

  /** Lets the bus carry both records by reference; safe to call from every verticle that sends or answers them. */
  public static void registerCodecs(Vertx vertx) {
    register(vertx, AniListList.class);
    register(vertx, MalList.class);
  }

  private static <T> void register(Vertx vertx, Class<T> type) {
    try {
      vertx.eventBus().registerDefaultCodec(type, new InProcess<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered it first
    }
  }

  /** Passes an immutable object through as it is; refuses to put it on a wire. */
  private record InProcess<T>(Class<T> type) implements MessageCodec<T, T> {
    @Override
    public void encodeToWire(Buffer buffer, T t) {
      throw new UnsupportedOperationException(type.getSimpleName() + " is only handed over inside the process");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException(type.getSimpleName() + " is only handed over inside the process");
    }

    @Override
    public T transform(T t) {
      return t;
    }

    @Override
    public String name() {
      return "in-process-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
