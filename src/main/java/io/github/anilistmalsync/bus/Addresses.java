package io.github.anilistmalsync.bus;

/**
 * Every event-bus address of the service, in one place, with the JSON each one carries.
 *
 * <p>Verbs are request/reply ({@code anilist.list.fetch}); nouns are published events ({@code sync.progress}).
 * Every request is sent with a timeout; consumers answer failures with {@code msg.fail(code, text)} where the
 * code is one of {@link FailureKind}'s and the text names what went wrong (never a token or secret).
 * Entry bodies are the {@code toJson()} forms of the records in {@code model}.
 */
public final class Addresses {
  private Addresses() {}

  // ---- liveness of each verticle -------------------------------------------------------------------------
  /** Request {} → {verticle: "anilist"}. */
  public static final String ANILIST_PING = "anilist.ping";
  /** Request {} → {verticle: "mal"}. */
  public static final String MAL_PING = "mal.ping";
  /** Request {} → {verticle: "sync"}. */
  public static final String SYNC_PING = "sync.ping";
  /** Request {} → {verticle: "web"}. */
  public static final String WEB_PING = "web.ping";
  /** Request {} → {verticle: "auth"}. */
  public static final String AUTH_PING = "auth.ping";

  // ---- AniList client (AniListVerticle) -------------------------------------------------------------------
  /** Request {} → {id, name, scoreFormat}. Fails INVALID when {@code anilist.username} names someone else. */
  public static final String ANILIST_VIEWER = "anilist.viewer";
  /**
   * Request {type: "ANIME"|"MANGA"} → a {@link FetchedLists.AniListList} (userId, scoreFormat, entries), handed over
   * as records, not JSON. All or nothing: a failed chunk fails the whole fetch. Entries in several custom lists come once.
   */
  public static final String ANILIST_LIST_FETCH = "anilist.list.fetch";
  /**
   * Request {type, mediaIds: [int]} → a {@link FetchedLists.AniListList} of the user's entries for those AniList
   * media, asked for directly (Page.mediaList, 50 ids a request): the collection leaves out entries hidden from status
   * lists and in no custom list, and all but the 11,000 most recently updated, so absence from it is not deletion.
   * A media without an entry here is really gone from the user's list.
   */
  public static final String ANILIST_ENTRIES_CHECK = "anilist.entries.check";
  /**
   * Request {type, malIds: [int]} → {media: [AniListMedia]} (only the ones found; 50 ids per upstream request, sent
   * without the user's token so that AniList's adult-content setting hides nothing). With {mediaIds: [int]} instead
   * of malIds: the media of that type with those AniList ids (a pin is checked with it before it is saved).
   */
  public static final String ANILIST_MEDIA_LOOKUP = "anilist.media.lookup";
  /**
   * Request {type, mediaId, entryId?: long, fields: {status?, scoreRaw?, progress?, progressVolumes?, repeat?,
   * notes?, startedAt?: FuzzyDate, completedAt?: FuzzyDate, private?}} → {entry: AniListEntry as saved,
   * refused?: [{field, reason}]}. Without entryId the entry is created (or updated if AniList already has one for the
   * media). When AniList refuses a field it names (notes over 6,000 characters), the entry is sent again without it
   * and the field comes back under {@code refused} with AniList's reason; the other fields are saved.
   */
  public static final String ANILIST_ENTRY_SAVE = "anilist.entry.save";
  /** Request {type, entryId: long} → {deleted: boolean}. */
  public static final String ANILIST_ENTRY_DELETE = "anilist.entry.delete";

  // ---- MAL client (MalVerticle) ---------------------------------------------------------------------------
  /** Request {type} → a {@link FetchedLists.MalList}, NSFW entries included. All or nothing, as for AniList. */
  public static final String MAL_LIST_FETCH = "mal.list.fetch";
  /**
   * Request {type, malId: int, title?, fields: {MAL form field: value}} → {entry: MalEntry} as saved (node fields
   * null); {@code title} only names the entry in failures.
   * Field names are MAL's own: status, score, num_watched_episodes, num_chapters_read, num_volumes_read,
   * is_rewatching, is_rereading, num_times_rewatched, num_times_reread, start_date, finish_date, comments.
   * Fails REFUSED when MAL will not take the entry at all (400 invalid_content: a title not approved yet).
   */
  public static final String MAL_ENTRY_SAVE = "mal.entry.save";
  /** Request {type, malId} → {deleted: boolean}; false when the entry was already absent (MAL's 404). */
  public static final String MAL_ENTRY_DELETE = "mal.entry.delete";

  // ---- auth (AuthVerticle) --------------------------------------------------------------------------------
  /** Request {service: "anilist"|"mal"} → {accessToken, expiresAt} refreshing first if due. Fails AUTH_EXPIRED. */
  public static final String AUTH_TOKEN_GET = "auth.token.get";
  /**
   * Request {service, rejectedToken} → {accessToken, expiresAt}: the upstream refused rejectedToken. One refresh is
   * made for all callers that report the same token; fails AUTH_EXPIRED (and publishes needsSignIn) if none works.
   */
  public static final String AUTH_TOKEN_REFRESH = "auth.token.refresh";
  /** Request {service} → {startUrl}: the link on the OAuth server that starts a sign-in bound to the browser opening it. */
  public static final String AUTH_SIGNIN_START = "auth.signin.start";
  /**
   * Request {service, binding?} → {authorizeUrl, binding, secure, maxAgeSeconds}: a sign-in for the web port's start
   * link, bound to {@code binding} (the browser's {@code ams_signin} cookie; a new one when absent or not ours), which
   * the caller sets as that cookie. When the callback is on {@code oauth.port} instead: {startUrl} to send the
   * browser to.
   */
  public static final String AUTH_SIGNIN_BEGIN = "auth.signin.begin";
  /**
   * Request {state, binding, code?, error?, errorDescription?} (the web port's callback) → {service, signedIn,
   * message}: how the sign-in ended, in words; refused unless the browser's binding started that state.
   */
  public static final String AUTH_SIGNIN_FINISH = "auth.signin.finish";
  /** Request {binding} → {service, signedIn, message} of that browser's last callback on {@code oauth.port}, once; {} if none. */
  public static final String AUTH_SIGNIN_OUTCOME = "auth.signin.outcome";
  /** Request {} → {services: [{service, state, expiresAt?, daysLeft?}]}. */
  public static final String AUTH_STATUS = "auth.status";
  /** Publish {service, state: "signedIn"|"needsSignIn"|"expiring", daysLeft?}. */
  public static final String AUTH_STATE = "auth.state";

  // ---- config ---------------------------------------------------------------------------------------------
  /** Publish: the new validated config (normalised JSON, secrets included: never forward it to a browser). */
  public static final String CONFIG_CHANGED = "config.changed";
  /** Publish {problems: [{key, message}]}: the file on disk is invalid; the last good config stays in force. */
  public static final String CONFIG_PROBLEMS = "config.problems";
  /**
   * Request {} → {file: its name, diskProblems: [{key, message}] of the file on disk (redacted), readable: whether it
   * can be edited as a tree, yaml: the raw view (every secret as the mask; for an unreadable file the lines naming a
   * secret masked), unreadable?: {message, line, column}, fields: [{key, group, kind, description, default, allowed,
   * secret, required, needsRestart, guarded, inFile, value (non-secrets) | set (secrets)}], webhooks: [{index, urlSet,
   * format, events}]}. No secret's value in any form. Answered by {@code ConfigEditor} where the service watches its
   * config file.
   */
  public static final String CONFIG_FILE_READ = "config.file.read";
  /**
   * Request {yaml} (the raw view: each mask stands for the secret stored at its own key path) or {values: {key:
   * value}, clear?: [secret keys], webhooks?: [{index?, url?, format, events, remove?}], keepTyped?: [secret keys]}
   * (the form: a blank secret keeps what is stored), plus pending?: {path: typed secret}, passwordConfirmed: the
   * dashboard password was re-entered and matched, viaApiToken: the caller came with web.api_token.
   * → {saved: true, backup, changes: [{key, before, after}] of keys deciding where secrets go, restartNeeded: [keys
   * saved but in force after a restart], message}; or {saved: false, reason: "invalid" | "needsPassword" |
   * "apiTokenRefused", problems (redacted), changes?, message?, yaml? (a raw save masked again), pending and
   * keptTyped (secrets typed but not saved: to keep server-side, never to show), file, diskProblems}.
   */
  public static final String CONFIG_FILE_SAVE = "config.file.save";

  // ---- sync (SyncCoordinatorVerticle) ---------------------------------------------------------------------
  /**
   * Request {type?: "ANIME"|"MANGA", dryRun?: boolean, force?: boolean, trigger?: "schedule"|"manual"|"cli"}
   * → {runId}. A trigger asking for what the running run does joins it; a different one waits for it to end.
   */
  public static final String SYNC_TRIGGER = "sync.trigger";
  /** Publish {runId, phase, type, done, total, title?}. */
  public static final String SYNC_PROGRESS = "sync.progress";
  /**
   * Publish {runId, result: "ok"|"failed"|"refused"|"planChanged"|"needsSignIn"|"interrupted", dryRun, types: {TYPE:
   * counts}, errors: [text]}: counts only; a dry run's plan is in the answer to whoever waited, and in sync.run.
   */
  public static final String SYNC_FINISHED = "sync.finished";
  /**
   * Request {} → {running: runId|null, dryRun, mode, totals: {runs, entriesChanged}, types: [{type, lastRun,
   * nextRunAt, intervalMinutes}]}.
   */
  public static final String SYNC_STATUS = "sync.status";
  /**
   * Request {runId?} → the undo run's sync.finished body plus {undoOf}: reverts a run (default: the last that wrote);
   * entries changed since are listed in errors as skipped.
   */
  public static final String SYNC_UNDO = "sync.undo";
  /**
   * Request {runId} → the new run's sync.finished body plus {applyOf}: carries out exactly the plan that preview
   * (a dry run, or a run whose result was "planChanged") showed, if every type still plans the same writes; otherwise
   * writes nothing, ends "planChanged" and holds the new plan. Fails NOT_FOUND for an unknown run, INVALID for a run
   * that was not a preview or while sync.dry_run is on.
   */
  public static final String SYNC_APPLY = "sync.apply";
  /** Request {limit?} → {runs: [{id, trigger, mode, dryRun, startedAt, finishedAt, result, summary}]}, newest first. */
  public static final String SYNC_RUNS = "sync.runs";
  /**
   * Request {runId} → {id, trigger, mode, dryRun, startedAt, finishedAt, result, summary, plans: {TYPE: Plan json},
   * operations: [{seq, type, side, kind, title, operation: Operation json (changes: {field: {before, after}}), status,
   * response, error}]}; fails NOT_FOUND for an unknown run.
   */
  public static final String SYNC_RUN = "sync.run";
  /**
   * Request {} → {unmapped: [{type, side, id, title, reason, firstSeen, lastTried}], conflicts: [recent conflicts],
   * heldApart: [{type, malId, aniListId, title, differences: [text], reason, since}]}.
   */
  public static final String SYNC_UNMAPPED = "sync.unmapped";
  /**
   * Request {type, malId, keep: "ANILIST"|"MAL"} → {runId}: settles a pair held apart by copying the kept side's
   * values of the differing fields to the other side, in a run of its own started at once. Fails NOT_FOUND when the
   * pair is not held apart (any more).
   */
  public static final String SYNC_SETTLE = "sync.settle";
  /**
   * Request {action: "pin"|"ignore"|"remove", type, malId, aniListId?} → {ok: true}: the user's own pairing decision,
   * used from the next sync on. A pin is checked with AniList first: an AniList id that names no media of the type
   * fails INVALID with a sentence naming it, and nothing is saved.
   */
  public static final String SYNC_MAPPING_SET = "sync.mapping.set";
  /**
   * Request {type?, state?, search?, runId?, page?} → {rows: [{type, malId, aniListId, title, state, aniList: NeutralState
   * json|null, mal: NeutralState json|null, total, private, differences: [text], next, note, mapping: pinned|ignored|null,
   * pinnedTo, touched, seenAt}], total, page, pageSize, counts: {state word: n, pinned: n, private: n}}: one page
   * (50 rows, title order) of the Library, from the state store as the last sync of each type left it.
   */
  public static final String SYNC_LIBRARY = "sync.library";
  /** Request {} → {mappings: [{type, malId, aniListId, source: pinned|ignored, title, updatedAt}]}: the user's pins and ignores, newest first. */
  public static final String SYNC_MAPPINGS = "sync.mappings";

  // ---- live sync (polls between full syncs) -------------------------------------------------------------------

  /**
   * Request {types: ["ANIME", ...], since: {ANIME: {second, seen: [entry id, ...]}|null, ...}} → {userId, scoreFormat,
   * ANIME: [entry, ...], ...}: the user's entries newest update first, in ONE GraphQL request for all types (50 a
   * page; further pages only for a type whose page is still newer than its watermark's second, or ends in it with an
   * entry not in {@code seen}: {@code client/ChangesSince}; without a since, the first page only).
   */
  public static final String ANILIST_LIST_CHANGES = "anilist.list.changes";
  /**
   * Request {type, since: {second, seen: [MAL id, ...]}|null} → {entries: [entry, ...]}: the MAL list newest update
   * first ({@code sort=list_updated_at}), following paging.next by the same rule as {@link #ANILIST_LIST_CHANGES}.
   */
  public static final String MAL_LIST_CHANGES = "mal.list.changes";
  /** Request {type, malId} → {entry: entry|null}: one MAL title's my_list_status (null when not on the list). */
  public static final String MAL_ENTRY_FETCH = "mal.entry.fetch";
  /** Request {dryRun?: bool} → the poll's result {result: idle|quiet|synced|failed|off, runId?, carried: {...}}: one live poll now. */
  public static final String SYNC_LIVE_POLL = "sync.live.poll";
  /**
   * Publish: the same body after every live poll, with {dryRun, checkedAt}, and carried: {TYPE: {fromAniList, fromMal,
   * created, updated, errors, titles}} for the dashboard and the webhooks (live_changed).
   */
  public static final String SYNC_LIVE_POLLED = "sync.live.polled";
}
