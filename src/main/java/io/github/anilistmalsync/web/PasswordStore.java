package io.github.anilistmalsync.web;

import java.util.Optional;

/**
 * Keeps the dashboard password's hash (never the password). Blocking: call it from {@code executeBlocking}.
 * A file for now; the state store may take the job later without the web verticle noticing.
 */
public interface PasswordStore {
  Optional<String> load() throws Exception;

  void save(String hash) throws Exception;
}
