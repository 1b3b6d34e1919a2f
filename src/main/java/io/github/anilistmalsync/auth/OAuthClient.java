package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * One service's OAuth2 client (vertx-auth-oauth2): builds the authorize URL, exchanges a code, refreshes a token.
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

  /** A new token from a refresh token (MAL); the answer carries a new refresh token, which replaces the old. */
  Future<TokenStore.Token> refresh(TokenStore.Token current) {
    if (current.refreshToken() == null) {
      return Future.failedFuture(new ServiceException(FailureKind.AUTH_EXPIRED, label() + " tokens cannot be refreshed: sign in again"));
    }
    User user = User.create(new JsonObject().put("access_token", current.accessToken()).put("refresh_token", current.refreshToken()));
    return oauth2.refresh(user).map(this::token)
        .recover(e -> Future.failedFuture(unreachable(e)
            ? new ServiceException(FailureKind.TRANSIENT, label() + " could not be reached to refresh the token: " + e.getMessage())
            : new ServiceException(FailureKind.AUTH_EXPIRED, label() + " refused to refresh the token: " + e.getMessage())));
  }

  /** A refresh that never got an answer says nothing about the refresh token: it is kept for the next try. */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
          || t instanceof io.vertx.core.http.HttpClosedException) return true;
      String m = String.valueOf(t.getMessage());
      if (m.contains("Connection refused") || m.contains("Connection reset") || m.matches(".*\\b5\\d\\d\\b.*")) return true;
    }
    return false;
  }

  private TokenStore.Token token(User user) {
    JsonObject p = user.principal();
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
