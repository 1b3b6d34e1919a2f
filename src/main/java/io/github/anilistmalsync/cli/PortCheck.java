package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigSchema;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the service starts: is each port it will listen on free? A busy port otherwise surfaced as a bare
 * "Address already in use" from deep inside a verticle, naming neither the port nor the key that sets it. The
 * servers still report a bind failure of their own (the port can be taken between the check and the bind).
 */
final class PortCheck {
  private PortCheck() {}

  /** One sentence per busy port: which port, which key, how to change it. Empty when every port is free. */
  static List<String> busy(AppConfig config, boolean webUi) {
    List<String> problems = new ArrayList<>();
    String host = config.string("web.host");
    if (webUi) check(host, config.integer("web.port"), "web.port", problems);
    String signIn = io.github.anilistmalsync.auth.AuthVerticle.ownServerKey(config, webUi);
    if (signIn != null) check(host, config.integer(signIn), signIn, problems);
    return problems;
  }

  private static void check(String host, int port, String key, List<String> problems) {
    if (port == 0) return;
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      String env = ConfigSchema.key(key).map(k -> k.envVar()).orElse(key.toUpperCase().replace('.', '_'));
      problems.add("port " + port + " (`" + key + "`) is already in use on " + host + " — set another in config.yaml or " + env);
    }
  }
}
