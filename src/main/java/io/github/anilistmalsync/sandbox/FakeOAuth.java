package io.github.anilistmalsync.sandbox;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OAuth endpoints of a fake AniList or MAL. The authorize endpoint approves at once (it redirects straight back
 * to {@code redirect_uri} with a code and the state, as a user clicking "Allow" would); the token endpoint enforces
 * what the real ones enforce: the registered client and secret, the exact redirect URI, single-use codes, MAL's
 * plain PKCE (the verifier must equal the challenge), refresh-token rotation, expiry and revocation. MAL's tokens
 * carry {@code expires_in} 2678400 (31 days), as the real MAL's do (Mihon; MAL's authorization docs say an hour).
 */
public final class FakeOAuth {
  /** AniList: JWT-like access tokens for a year, no refresh tokens. MAL: opaque tokens, refresh rotation, PKCE. */
  public enum Style { ANILIST, MAL }

  private record Code(String redirectUri, String challenge, Instant expires) {}

  private record Access(int userId, Instant expires) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long a MAL refresh token works: "one month" (MAL's authorization docs). */
  static final Duration REFRESH_LIFETIME = Duration.ofDays(31);

  private final Style style;
  private final String clientId;
  private final String clientSecret;
  private final String redirectUri;
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Map<String, Access> accessTokens = new ConcurrentHashMap<>();
  /** Live refresh tokens and when each stops working: MAL's last about a month. */
  private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();
  private final AtomicInteger refreshes = new AtomicInteger();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger exchanges = new AtomicInteger();
  private final java.util.List<RecordedRequest> log = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Duration accessLifetime;
  private volatile String denyWith;

  public FakeOAuth(Style style, String clientId, String clientSecret, String redirectUri) {
    this.style = style;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.redirectUri = redirectUri;
    this.accessLifetime = style == Style.ANILIST ? Duration.ofDays(365) : Duration.ofDays(31);
  }

  /**
   * Mounts authorize and token on the fake API's server, ahead of its own handlers (they need no Bearer token) but
   * behind its fault gate: faults injected into {@code server} (e.g. {@code Fault.status(503, "").when(tokenPath)})
   * reach these endpoints too, as a bad minute at MAL's token endpoint would. Their requests go to this object's own
   * log ({@link #requests()}), not the API's, so API request counts stay what they were.
   */
  public FakeOAuth mount(FakeServer<?> server, String authorizePath, String tokenPath) {
    Router router = server.router();
    router.get(authorizePath).order(-10).handler(ctx -> gate(server, ctx, "authorize")).handler(this::authorize);
    // the form is read first, so the log shows the grant of a request a fault then answered
    router.post(tokenPath).order(-10).handler(BodyHandler.create()).handler(ctx -> gate(server, ctx, "token")).handler(this::token);
    return this;
  }

  /** Logs the request and applies the host fake's next matching fault, if any; otherwise hands on. */
  private void gate(FakeServer<?> server, RoutingContext ctx, String kind) {
    long at = System.nanoTime();
    ctx.addEndHandler(v -> log.add(new RecordedRequest(ctx.request().method().name(), ctx.request().path(), ctx.request().query(),
        ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().asString(), kind, at, ctx.response().getStatusCode())));
    Fault fault = server.faults.take(ctx.request());
    if (fault != null && fault.kind() == Fault.Kind.DELAY) {
      server.vertx.setTimer(fault.delayMs(), id -> ctx.next());
      return;
    }
    if (fault != null && FaultPlan.answer(server.vertx, ctx.request(), fault)) return;
    ctx.next();
  }

  /** Every authorize and token request received, in order ({@code kind} "authorize" or "token"; the token form as body). */
  public java.util.List<RecordedRequest> requests() {
    return java.util.List.copyOf(log);
  }

  /** How many token requests asked for {@code grant_type} (e.g. "refresh_token"), whatever they were answered. */
  public long tokenRequests(String grantType) {
    return log.stream().filter(r -> r.kind().equals("token") && r.body() != null && r.body().contains("grant_type=" + grantType)).count();
  }

  // ---- test controls -----------------------------------------------------------------------------------------

  /** Access tokens issued from now on expire after {@code lifetime}. */
  public FakeOAuth accessLifetime(Duration lifetime) {
    this.accessLifetime = lifetime;
    return this;
  }

  /** The next authorizations are refused with {@code error} (e.g. access_denied); null to approve again. */
  public FakeOAuth denyWith(String error) {
    this.denyWith = error;
    return this;
  }

  /** Every refresh token issued so far stops working, as when the user revokes the app. */
  public FakeOAuth revokeRefreshTokens() {
    refreshTokens.clear();
    return this;
  }

  /** Every access token stops working. */
  public FakeOAuth revokeAccessTokens() {
    accessTokens.clear();
    return this;
  }

  /** Every access and refresh token issued so far (tests check that none of them ever reaches a log). */
  public java.util.Set<String> issuedTokens() {
    java.util.Set<String> all = new java.util.HashSet<>(issued);
    return all;
  }

  public int refreshCount() {
    return refreshes.get();
  }

  public int exchangeCount() {
    return exchanges.get();
  }

  /** The user a valid access token belongs to. */
  public Optional<Integer> userFor(String accessToken) {
    Access a = accessTokens.get(accessToken);
    return a != null && a.expires().isAfter(Instant.now()) ? Optional.of(a.userId()) : Optional.empty();
  }

  public boolean isValid(String accessToken) {
    return userFor(accessToken).isPresent();
  }

  // ---- endpoints ---------------------------------------------------------------------------------------------

  private void authorize(RoutingContext ctx) {
    MultiMap q = ctx.request().params();
    if (!clientId.equals(q.get("client_id"))) {
      ctx.response().setStatusCode(400).end("invalid client_id");
      return;
    }
    String redirect = q.get("redirect_uri") != null ? q.get("redirect_uri") : redirectUri;
    if (!redirectUri.equals(redirect)) {
      ctx.response().setStatusCode(400).end("redirect_uri does not match the application's");
      return;
    }
    if (!"code".equals(q.get("response_type"))) {
      ctx.response().setStatusCode(400).end("unsupported response_type");
      return;
    }
    String challenge = null;
    if (style == Style.MAL) {
      if (!"plain".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
          || q.get("code_challenge").length() < 43 || q.get("code_challenge").length() > 128) {
        ctx.response().setStatusCode(400).end("invalid code_challenge (only plain is supported, 43-128 characters)");
        return;
      }
      challenge = q.get("code_challenge");
    }
    String state = q.get("state");
    String location;
    if (denyWith != null) {
      location = redirect + "?error=" + denyWith + (state == null ? "" : "&state=" + encode(state));
    } else {
      String code = random(24);
      codes.put(code, new Code(redirect, challenge, Instant.now().plusSeconds(600)));
      location = redirect + "?code=" + code + (state == null ? "" : "&state=" + encode(state));
    }
    ctx.response().setStatusCode(302).putHeader("Location", location).end();
  }

  private void token(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    JsonObject json = null;
    if (form.isEmpty() && ctx.body() != null && ctx.body().length() > 0) {
      try {
        json = ctx.body().asJsonObject();
      } catch (RuntimeException ignored) {
        // neither a form nor JSON: the checks below refuse it
      }
    }
    Map<String, String> p = new java.util.HashMap<>();
    form.forEach(e -> p.put(e.getKey(), e.getValue()));
    if (json != null) json.forEach(e -> p.put(e.getKey(), String.valueOf(e.getValue())));
    String basic = ctx.request().getHeader("Authorization");
    if (basic != null && basic.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      p.putIfAbsent("client_id", pair[0]);
      if (pair.length > 1) p.putIfAbsent("client_secret", pair[1]);
    }
    if (!clientId.equals(p.get("client_id")) || (clientSecret != null && !clientSecret.isEmpty() && !clientSecret.equals(p.get("client_secret")))) {
      error(ctx, 401, "invalid_client", "Client authentication failed");
      return;
    }
    switch (String.valueOf(p.get("grant_type"))) {
      case "authorization_code" -> {
        Code code = codes.remove(String.valueOf(p.get("code")));
        if (code == null || code.expires().isBefore(Instant.now())) {
          error(ctx, 400, "invalid_grant", "The authorization code is invalid or was already used.");
          return;
        }
        if (!code.redirectUri().equals(p.get("redirect_uri"))) {
          error(ctx, 400, "invalid_grant", "The redirect URI does not match the one of the authorization.");
          return;
        }
        if (code.challenge() != null && !code.challenge().equals(p.get("code_verifier"))) {
          error(ctx, 400, "invalid_grant", "Failed to verify code_verifier.");
          return;
        }
        exchanges.incrementAndGet();
        issue(ctx);
      }
      case "refresh_token" -> {
        Instant until = style == Style.ANILIST ? null : refreshTokens.remove(String.valueOf(p.get("refresh_token")));
        if (until == null || until.isBefore(Instant.now())) {
          error(ctx, 400, "invalid_request", "The refresh token is invalid.");
          return;
        }
        refreshes.incrementAndGet();
        issue(ctx);
      }
      default -> error(ctx, 400, "unsupported_grant_type", "");
    }
  }

  private void issue(RoutingContext ctx) {
    Duration life = accessLifetime;
    Instant expires = Instant.now().plus(life);
    String access = style == Style.ANILIST ? jwt(1, expires) : random(40);
    accessTokens.put(access, new Access(1, expires));
    issued.add(access);
    JsonObject body = new JsonObject().put("token_type", "Bearer").put("expires_in", life.toSeconds()).put("access_token", access);
    if (style == Style.MAL) {
      String refresh = random(40);
      refreshTokens.put(refresh, Instant.now().plus(REFRESH_LIFETIME));
      issued.add(refresh);
      body.put("refresh_token", refresh);
    }
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String error, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).put("message", message).put("hint", "").encode());
  }

  private static String jwt(int userId, Instant expires) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
    String payload = b64.encodeToString(new JsonObject().put("sub", String.valueOf(userId)).put("exp", expires.getEpochSecond())
        .put("jti", random(8)).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + random(32);
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

}
