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
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writing a file so that a crash leaves either the old content or the new, never half of it: a temp file beside it
 * (readable by its owner only, from the first byte on: these files hold secrets), flushed to disk, then renamed
 * over the target. Blocking: call from a worker.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) createPrivateDirectory(dir);
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
    if (posix()) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
    } else {
      Files.createFile(file);
    }
  }

  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Makes one existing file 0600 or one existing directory 0700 (symbolic links are left alone: their target may be
   * anywhere); a path that does not exist is ignored.
   */
  public static void makePrivate(Path path) throws IOException {
    if (!posix() || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
      return;
    }
    Files.setPosixFilePermissions(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? DIR_MODE : FILE_MODE);
  }

  /** Creates a directory (and its missing parents) and makes the directory itself 0700. */
  public static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    makePrivate(dir);
  }

  /**
   * Tightens a whole tree: the directory and every directory under it 0700, every file 0600. Installs made before
   * files were written private are fixed this way at start. Does not follow symbolic links.
   */
  public static void makeTreePrivate(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        makePrivate(p);
      }
    }
  }
}
