package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;

import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every request passes before a page sees it: security headers, the allowed hosts, the session, the login check
 * (a session, or a Bearer token where one is allowed) and, for what changes state, the CSRF token.
 */
final class AccessGate {
  static final String SESSION_COOKIE = "amsync.session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  static final String USER_KEY = "user";
  static final String CSRF_KEY = "csrf";
  private static final String VIA_TOKEN = "viaApiToken";
  /** The login form's CSRF token, signed, as a cookie (double submit): no stored session per visit of /login. */
  static final String LOGIN_CSRF_COOKIE = "amsync.login-csrf";

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

  /** Paths anyone may load: the login page and what it needs, and the liveness/readiness probes. */
  static final Set<String> PUBLIC_PATHS = Set.of("/login", "/style.css", "/favicon.svg", "/health", "/health/live", AuthVerticle.WEB_CALLBACK_PATH);

  private final Supplier<AppConfig> config;
  private final WebTuning tuning;
  private final SessionStore sessions;
  /** Signs the login form's CSRF tokens; new at each start, so a restart only asks for a reload of /login. */
  private final byte[] loginCsrfKey = Base64.getUrlDecoder().decode(PasswordHasher.randomSecret(32));

  AccessGate(Supplier<AppConfig> config, WebTuning tuning, SessionStore sessions) {
    this.config = config;
    this.tuning = tuning;
    this.sessions = sessions;
  }

  /** Puts the gate in front of every route added after it. */
  void register(Router router) {
    router.route().handler(this::securityHeaders);
    router.route().handler(this::checkHost);
    router.route().handler(SessionHandler.create(sessions)
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(secureCookies())
        .setSessionTimeout(4 * 3600_000L)
        .setLazySession(true));
    router.route().handler(this::requireLogin);
    // after the login check, so a stranger's body is never read; no file uploads, nothing lands on disk
    router.route().handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(64 * 1024));
    router.route().handler(this::checkCsrf);
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }

  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Refuses a request whose Host header names a host we were not told to answer to, so a web page whose DNS name
   * is rebound to this machine's address cannot read the dashboard: IP literals and {@code localhost} always pass,
   * other names only when listed in {@code web.allowed_hosts}.
   */
  private void checkHost(RoutingContext ctx) {
    // no Host at all (an HTTP/1.0 probe such as the Dockerfile's health check) cannot be a browser being rebound
    String header = ctx.request().getHeader("Host");
    if (header == null || allowedHost(hostName(header))) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(421).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("This service does not answer to that host name. To reach it by a name, add the name to "
            + "web.allowed_hosts in config.yaml (IP addresses and localhost always work).");
  }

  /** The host part of a Host header ({@code name:port}, {@code [v6]:port}), lower case; null when absent. */
  static String hostName(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private boolean allowedHost(String host) {
    if (host == null) {
      return false;
    }
    if (host.startsWith("[") || IPV4.matcher(host).matches() || host.equals("localhost")
        || host.endsWith(".localhost")) {
      return true;
    }
    String configuredHost = config.get().string("web.host");
    if (configuredHost != null && host.equalsIgnoreCase(configuredHost)) {
      return true;
    }
    Object allowed = config.get().get("web.allowed_hosts");
    List<String> names = allowed instanceof JsonArray list ? list.stream().map(String::valueOf).toList()
        : allowed == null ? List.of() : List.of(String.valueOf(allowed).split(","));
    String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return names.stream().map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).anyMatch(bare::equals);
  }

  /** Lets a request through when it has a session, a valid API token on /api/*, or asks for a public path. */
  private void requireLogin(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (PUBLIC_PATHS.contains(path)) {
      ctx.next();
      return;
    }
    String bearer = bearerToken(ctx);
    Session session = ctx.session();
    boolean loggedIn = session != null && session.get(USER_KEY) != null;
    if (path.equals("/metrics") && config.get().string("web.metrics_token") != null) {
      if (bearer != null && sameSecret(bearer, config.get().string("web.metrics_token"))) {
        ctx.put(VIA_TOKEN, true);
        ctx.next();
      } else if (loggedIn) {
        ctx.next();
      } else {
        json(ctx, 401, error("metrics token required"));
      }
      return;
    }
    boolean api = path.startsWith("/api/");
    if (api && bearer != null) {
      String apiToken = config.get().string("web.api_token");
      if (apiToken != null && sameSecret(bearer, apiToken)) {
        ctx.put(VIA_TOKEN, true);
        ctx.next();
      } else {
        json(ctx, 401, error("invalid API token"));
      }
      return;
    }
    if (loggedIn) {
      ctx.next();
    } else if (api || path.equals("/events") || path.equals("/metrics")) {
      json(ctx, 401, error("login required"));
    } else {
      ctx.redirect("/login");
    }
  }

  /** Refuses state-changing requests that do not carry the session's CSRF token; API-token calls are exempt. */
  private void checkCsrf(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    if (safe || Boolean.TRUE.equals(ctx.get(VIA_TOKEN))) {
      ctx.next();
      return;
    }
    String given = ctx.request().getHeader(CSRF_HEADER);
    if (given == null) {
      given = ctx.request().getFormAttribute(CSRF_FIELD);
    }
    String expected;
    if (ctx.normalizedPath().equals("/login")) {
      io.vertx.core.http.Cookie cookie = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
      expected = cookie == null || !signedByUs(cookie.getValue()) ? null : cookie.getValue();
    } else {
      Session session = ctx.session();
      expected = session == null ? null : session.get(CSRF_KEY);
    }
    if (expected != null && given != null && sameSecret(given, expected)) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Missing or invalid CSRF token. Reload the page and try again.");
    }
  }

  /**
   * A fresh signed token for the login form, also set as a cookie the form's post must bring back (a signed double
   * submit): the check needs no stored session, so visits of /login cost the server nothing.
   */
  String loginCsrfToken(RoutingContext ctx) {
    // a browser that already holds one keeps it: its other tabs, or a redirected favicon request that loads /login
    // again, must not invalidate the form it is showing
    io.vertx.core.http.Cookie held = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
    if (held != null && signedByUs(held.getValue())) {
      return held.getValue();
    }
    String nonce = PasswordHasher.randomSecret(18);
    String token = nonce + "." + signature(nonce);
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(LOGIN_CSRF_COOKIE, token)
        .setPath("/login").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookies()));
    return token;
  }

  private boolean signedByUs(String token) {
    int dot = token.indexOf('.');
    return dot > 0 && sameSecret(token.substring(dot + 1), signature(token.substring(0, dot)));
  }

  private String signature(String nonce) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(loginCsrfKey, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private boolean secureCookies() {
    return tuning.secureCookie() || config.get().bool("web.secure_cookies");
  }

  static String csrfToken(Session session) {
    String token = session.get(CSRF_KEY);
    if (token == null) {
      token = PasswordHasher.randomSecret(24);
      session.put(CSRF_KEY, token);
    }
    return token;
  }

  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  /** Constant-time comparison, so response timing does not reveal how much of a secret was right. */
  private static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
