package io.github.anilistmalsync.web;

import io.github.anilistmalsync.files.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Keeps the password hash in one small file ({@code DATA_DIR/web-password.hash}), owner-readable only. */
public final class FilePasswordStore implements PasswordStore {
  private final Path file;

  public FilePasswordStore(Path file) {
    this.file = file;
  }

  @Override
  public Optional<String> load() throws Exception {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String hash = Files.readString(file, StandardCharsets.UTF_8).trim();
    return hash.isEmpty() ? Optional.empty() : Optional.of(hash);
  }

  @Override
  public void save(String hash) throws Exception {
    AtomicFiles.write(file, hash + "\n");
  }
}
