package io.github.anilistmalsync.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writing a file so that a crash leaves either the old content or the new, never half of it: a temp file beside it
 * (readable by its owner only, from the first byte on: these files hold secrets), flushed to disk, then renamed
 * over the target. Blocking: call from a worker.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    createOwnerOnly(temp);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Creates an empty file only its owner may read and write (mode 0600 where the file system knows modes). */
  public static void createOwnerOnly(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }
}
