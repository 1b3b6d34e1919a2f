package io.github.anilistmalsync.sandbox;

/**
 * One request a fake server received, for tests to assert on: what was asked ({@code kind} is the fake's own name
 * for it, e.g. "list", "save", "MediaListCollection"), with which parameters, when (nanoTime) and the status answered.
 */
public record RecordedRequest(String method, String path, String query, String body, String kind, long atNanos, int status) {

  /** Whether the request changed the list (a write). */
  public boolean isWrite() {
    return kind.equals("save") || kind.equals("delete") || kind.equals("SaveMediaListEntry") || kind.equals("DeleteMediaListEntry");
  }
}
