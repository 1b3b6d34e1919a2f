package io.github.anilistmalsync.anilist;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL documents the AniList client sends. Each is valid against AniList's published schema; the fake
 * AniList executes them against a checked subset of it, so a typo here fails the tests.
 */
final class AniListQueries {
  private AniListQueries() {}

  static final String MEDIA_FIELDS = "id idMal type format episodes chapters volumes isAdult title { romaji english native }";

  /** score100 is the 100-point score whatever the user's format; score is the same in the user's format. */
  static final String ENTRY_FIELDS = "id mediaId status score100: score(format: POINT_100) score progress progressVolumes repeat "
      + "private hiddenFromStatusLists notes customLists startedAt { year month day } completedAt { year month day } "
      + "updatedAt createdAt media { " + MEDIA_FIELDS + " }";

  static final String VIEWER = "query Viewer { Viewer { id name mediaListOptions { scoreFormat } } }";

  static final String LIST = """
      query List($userId: Int, $type: MediaType, $chunk: Int, $perChunk: Int) {
        MediaListCollection(userId: $userId, type: $type, chunk: $chunk, perChunk: $perChunk) {
          hasNextChunk
          lists { entries { %s } }
        }
      }""".formatted(ENTRY_FIELDS);

  static final String LOOKUP = mediaPage("Lookup", "idMal_in");

  /** Media by their AniList ids (a pin is checked against it before it is saved). */
  static final String MEDIA = mediaPage("Media", "id_in");

  /** A page of media of one type whose {@code filter} (idMal_in, id_in) is one of {@code $ids}. */
  private static String mediaPage(String name, String filter) {
    return """
        query %s($page: Int, $perPage: Int, $ids: [Int], $type: MediaType) {
          Page(page: $page, perPage: $perPage) {
            pageInfo { hasNextPage }
            media(%s: $ids, type: $type) { %s }
          }
        }""".formatted(name, filter, MEDIA_FIELDS);
  }

  /** The user's entries for some media, hidden ones and those past the collection's cap included. */
  static final String CHECK = """
      query Check($page: Int, $perPage: Int, $userId: Int, $type: MediaType, $ids: [Int]) {
        Page(page: $page, perPage: $perPage) {
          pageInfo { hasNextPage }
          mediaList(userId: $userId, type: $type, mediaId_in: $ids) { %s }
        }
      }""".formatted(ENTRY_FIELDS);

  static final String DELETE = "mutation Delete($id: Int) { DeleteMediaListEntry(id: $id) { deleted } }";

  /** The GraphQL type of each SaveMediaListEntry argument we send. */
  private static final Map<String, String> SAVE_ARGUMENTS = Map.ofEntries(
      Map.entry("id", "Int"), Map.entry("mediaId", "Int"), Map.entry("status", "MediaListStatus"), Map.entry("scoreRaw", "Int"),
      Map.entry("progress", "Int"), Map.entry("progressVolumes", "Int"), Map.entry("repeat", "Int"), Map.entry("notes", "String"),
      Map.entry("private", "Boolean"), Map.entry("startedAt", "FuzzyDateInput"), Map.entry("completedAt", "FuzzyDateInput"));

  /**
   * A SaveMediaListEntry that names only the arguments in {@code variables}, so AniList changes exactly those fields
   * and the request says plainly what it changes. Unknown fields are refused rather than sent.
   */
  static String save(JsonObject variables) {
    List<String> declarations = new ArrayList<>();
    List<String> arguments = new ArrayList<>();
    for (String name : variables.fieldNames()) {
      String type = SAVE_ARGUMENTS.get(name);
      if (type == null) throw new IllegalArgumentException("AniList has no list-entry field '" + name + "' we can write");
      declarations.add("$" + name + ": " + type);
      arguments.add(name + ": $" + name);
    }
    return "mutation Save(" + String.join(", ", declarations) + ") { SaveMediaListEntry("
        + String.join(", ", arguments) + ") { " + ENTRY_FIELDS + " } }";
  }

  /** The user's current entries of some media (live sync's partners of entries changed on MAL), 50 ids a request. */
  /**
   * Live sync's read: for each type, one aliased Page of the user's entries newest update first, all in ONE
   * request; the Viewer rides along, so polling keeps the signed-in user confirmed without a request of its own.
   * The alias of a type is its lower-case name; its page number is the variable {@code $<alias>Page}.
   */
  static String changes(java.util.Collection<io.github.anilistmalsync.model.MediaType> types) {
    List<String> declarations = new ArrayList<>(List.of("$userId: Int", "$perPage: Int"));
    StringBuilder fields = new StringBuilder();
    for (io.github.anilistmalsync.model.MediaType type : types) {
      String alias = type.name().toLowerCase(java.util.Locale.ROOT);
      declarations.add("$" + alias + "Page: Int");
      fields.append("  ").append(alias).append(": Page(page: $").append(alias).append("Page, perPage: $perPage) { pageInfo { hasNextPage } ")
          .append("mediaList(userId: $userId, type: ").append(type.name()).append(", sort: [UPDATED_TIME_DESC]) { ")
          .append(ENTRY_FIELDS).append(" } }\n");
    }
    return "query Changes(" + String.join(", ", declarations) + ") {\n" + fields
        + "  Viewer { id name mediaListOptions { scoreFormat } }\n}";
  }
}
