package io.github.anilistmalsync.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command takes: where the config and the data live. */
public class CommonOptions {
  @Option(names = "--data-dir", paramLabel = "PATH", description = "Where config, tokens, state and backups live (default: data).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "PATH", description = "The config file (default: DATA_DIR/config.yaml).")
  Path config;

  public Path dataDir() {
    return dataDir != null ? dataDir : Path.of("data");
  }

  public Path configFile() {
    return config != null ? config : dataDir().resolve("config.yaml");
  }
}
