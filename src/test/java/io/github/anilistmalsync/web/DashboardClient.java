package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one dashboard client of the web tests: signs in the way a browser does (the login page's CSRF cookie and
 * token, then the session cookie and the CSRF token the dashboard's pages carry).
 */
final class DashboardClient {
  private static final Pattern CSRF = Pattern.compile("name=\"(?:_csrf|csrf-token)\" (?:value|content)=\"([^\"]+)\"");

  /** A browser's state: its cookie (the session's, or before login the login form's) and the CSRF token its page carries. */
  record Browser(String cookie, String csrf) {}

  private DashboardClient() {}

  /** A browser that has opened the login page and no more. */
  static Browser anonymous(WebClient client) {
    HttpResponse<Buffer> page = client.get("/login").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    return new Browser(sessionCookie(page), csrf(page.bodyAsString()));
  }

  /** Sends the login form from that browser with {@code password}. */
  static HttpResponse<Buffer> tryLogin(WebClient client, Browser b, String password) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.csrf()).add("password", password);
    return client.post("/login").putHeader("Cookie", b.cookie()).sendForm(form).await();
  }

  /** Logs in with {@code password} and opens the dashboard: the signed-in browser. */
  static Browser login(WebClient client, String password) {
    HttpResponse<Buffer> r = tryLogin(client, anonymous(client), password);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.getHeader("Location")).isEqualTo("/");
    String cookie = sessionCookie(r);
    HttpResponse<Buffer> dashboard = client.get("/").putHeader("Cookie", cookie).send().await();
    assertThat(dashboard.statusCode()).isEqualTo(200);
    return new Browser(cookie, csrf(dashboard.bodyAsString()));
  }

  /** The session cookie a response sets, or on the login page (which opens no session) its CSRF cookie. */
  static String sessionCookie(HttpResponse<?> r) {
    String name = r.cookies().stream().anyMatch(c -> c.startsWith(AccessGate.SESSION_COOKIE + "="))
        ? AccessGate.SESSION_COOKIE : AccessGate.LOGIN_CSRF_COOKIE;
    return r.cookies().stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
        .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + r.cookies()));
  }

  /** The CSRF token a page carries (the form field or the meta tag). */
  static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("page carries a CSRF token").isTrue();
    return m.group(1);
  }
}
