package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One service's OAuth2 client: builds the authorize URL, exchanges a code (vertx-auth-oauth2), refreshes a token (our
 * own request, so the answer's status and error code decide what a failure means).
 * Client credentials go in the form body, not HTTP Basic: AniList's docs send them in the body and MAL's "other"
 * apps have no secret to put in a Basic header. MAL gets PKCE with {@code plain}, the only method it supports, which
 * Vert.x's ready-made handler cannot do, so the authorize URL is built here.
 */
final class OAuthClient {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  final String service;
  private final String authUrl;
  private final String clientId;
  private final String redirectUri;
  private final OAuth2Auth oauth2;
  private final String tokenUrl;
  private final String clientSecret;
  private final WebClient http;
  /** How long one refresh exchange may take before it counts as "could not be reached" (the token is kept). */
  static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(20);

  OAuthClient(Vertx vertx, AppConfig config, String service) {
    this.service = service;
    String key = service.equals("anilist") ? "anilist" : "myanimelist";
    this.authUrl = config.string(key + ".auth_url");
    this.clientId = config.string(key + ".client_id");
    this.redirectUri = config.string("oauth.redirect_uri");
    URI token = URI.create(config.string(key + ".token_url"));
    String site = token.getScheme() + "://" + token.getRawAuthority();
    OAuth2Options options = new OAuth2Options()
        .setClientId(clientId)
        .setSite(site)
        .setTokenPath(token.getRawPath())
        .setAuthorizationPath(URI.create(authUrl).getRawPath())
        .setUseBasicAuthorization(false)
        .setValidateIssuer(false)
        .setHeaders(new JsonObject().put("Accept", "application/json"));
    String secret = config.string(key + ".client_secret");
    if (secret != null && !secret.isBlank()) options.setClientSecret(secret);
    this.oauth2 = OAuth2Auth.create(vertx, options);
    this.tokenUrl = config.string(key + ".token_url");
    this.clientSecret = secret;
    this.http = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
  }

  void close() {
    http.close();
  }

  boolean usesPkce() {
    return service.equals("mal");
  }

  /** A fresh random state (or verifier) from the unreserved set: 64 characters, within PKCE's 43–128. */
  static String randomToken() {
    StringBuilder s = new StringBuilder(64);
    for (int i = 0; i < 64; i++) s.append(UNRESERVED.charAt(RANDOM.nextInt(UNRESERVED.length())));
    return s.toString();
  }

  /** The URL a person opens to sign in; with PKCE {@code plain}, the challenge is the verifier itself. */
  String authorizeUrl(String state, String verifier) {
    StringBuilder url = new StringBuilder(authUrl).append(authUrl.contains("?") ? '&' : '?')
        .append("response_type=code")
        .append("&client_id=").append(enc(clientId))
        .append("&redirect_uri=").append(enc(redirectUri))
        .append("&state=").append(enc(state));
    if (usesPkce()) url.append("&code_challenge=").append(enc(verifier)).append("&code_challenge_method=plain");
    return url.toString();
  }

  /** Exchanges an authorization code for a token. */
  Future<TokenStore.Token> exchange(String code, String verifier) {
    Oauth2Credentials credentials = new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE).setCode(code).setRedirectUri(redirectUri);
    if (usesPkce()) credentials.setCodeVerifier(verifier);
    return oauth2.authenticate(credentials).map(this::token)
        .recover(e -> Future.failedFuture(new ServiceException(FailureKind.AUTH_EXPIRED, label() + " refused the sign-in: " + e.getMessage())));
  }

  /**
   * A new token from a refresh token (MAL); the answer carries a new refresh token, which replaces the old. Sent with
   * our own WebClient rather than vertx-auth-oauth2, whose failure says only "Bad Request" or "Internal Server Error"
   * in words: the decision "is this sign-in dead?" needs the status and the JSON {@code error} (see {@link #refreshFailure}).
   */
  Future<TokenStore.Token> refresh(TokenStore.Token current) {
    if (current.refreshToken() == null) {
      return Future.failedFuture(new ServiceException(FailureKind.AUTH_EXPIRED, label() + " tokens cannot be refreshed: sign in again"));
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "refresh_token")
        .add("refresh_token", current.refreshToken())
        .add("client_id", clientId);
    if (clientSecret != null && !clientSecret.isBlank()) form.add("client_secret", clientSecret);
    return http.postAbs(tokenUrl).putHeader("Accept", "application/json").timeout(REFRESH_TIMEOUT.toMillis()).sendForm(form)
        .timeout(REFRESH_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(new ServiceException(FailureKind.TRANSIENT,
            label() + "'s token endpoint could not be reached to refresh the token (" + e.getClass().getSimpleName() + ")")))
        .compose(response -> {
          ServiceException refused = refreshFailure(label(), response.statusCode(), response.getHeader("Content-Type"), response.body());
          if (refused != null) return Future.failedFuture(refused);
          JsonObject body = response.bodyAsJsonObject();
          TokenStore.Token fresh = token(body);
          // an answer without a new refresh token leaves the old one in force
          return Future.succeededFuture(fresh.refreshToken() != null ? fresh
              : new TokenStore.Token(fresh.accessToken(), current.refreshToken(), fresh.expiresAt()));
        });
  }

  /** The {@code error} codes with which an OAuth token endpoint says the refresh token (or the client) is dead. */
  static final Set<String> DEAD_GRANT = Set.of("invalid_grant", "invalid_request", "invalid_client");

  /**
   * What a token endpoint's answer to a refresh means, by status and {@code error} code only: null when it is a
   * token; AUTH_EXPIRED ("sign in again") only for 400/401 with an {@code error} in {@link #DEAD_GRANT}; anything
   * else — a 5xx with or without a body, an HTML 403 from a ban or CDN page, a 200 that is not a token — is
   * TRANSIENT: it says nothing about the refresh token, which is kept for the next try (Mihon 0f4de03d).
   */
  static ServiceException refreshFailure(String label, int status, String contentType, Buffer body) {
    JsonObject json = null;
    try {
      if (body != null && body.length() > 0 && body.getByte(0) == '{') json = body.toJsonObject();
    } catch (RuntimeException notJson) {
      // leaves json null: an answer we cannot read says nothing about the refresh token
    }
    String error = json == null ? null : json.getString("error");
    if ((status == 400 || status == 401) && error != null && DEAD_GRANT.contains(error)) {
      return new ServiceException(FailureKind.AUTH_EXPIRED, label + " refused the refresh token (HTTP " + status + " " + error + "): sign in again");
    }
    if (status == 200 && json != null && json.getString("access_token") != null) return null;
    String what = body == null || body.length() == 0 ? "no body"
        : json != null ? (error == null ? "a JSON body" : "error " + safeCode(error))
        : "a " + (contentType == null ? "non-JSON" : contentType.split(";")[0].trim()) + " page";
    return new ServiceException(FailureKind.TRANSIENT, label + "'s token endpoint answered the refresh with HTTP " + status + " (" + what
        + "); the sign-in is kept and the refresh is tried again later");
  }

  /** An error code as the answer gave it, if it looks like one (never more than a short word). */
  private static String safeCode(String error) {
    return error.matches("[a-z_]{1,40}") ? error : "(unreadable)";
  }

  private TokenStore.Token token(User user) {
    return token(user.principal());
  }

  private TokenStore.Token token(JsonObject p) {
    String access = p.getString("access_token");
    if (access == null) throw new ServiceException(FailureKind.AUTH_EXPIRED, label() + " answered without an access token");
    Instant expires = null;
    Number in = p.getNumber("expires_in");
    if (in != null) expires = Instant.now().plus(Duration.ofSeconds(in.longValue()));
    if (expires == null) expires = jwtExpiry(access);
    return new TokenStore.Token(access, p.getString("refresh_token"), expires);
  }

  /** The {@code exp} of a JWT access token (AniList's are JWTs), or null when it is not one. */
  static Instant jwtExpiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length < 2) return null;
    try {
      JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Long exp = payload.getLong("exp");
      return exp == null ? null : Instant.ofEpochSecond(exp);
    } catch (RuntimeException e) {
      return null;
    }
  }

  String label() {
    return service.equals("anilist") ? "AniList" : "MyAnimeList";
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
