package io.github.anilistmalsync.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 with a random salt and OWASP's current 600,000 iterations, stored as
 * {@code pbkdf2-sha256$iterations$salt$hash}; hashes made with fewer iterations still verify and are upgraded at the
 * next successful login ({@link #needsUpgrade}). Slow on purpose: call it off the event loop.
 */
public final class PasswordHasher {
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int ITERATIONS = 600_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {}

  public static String hash(String password) {
    return hash(password, ITERATIONS);
  }

  /** Whether a stored hash was made with weaker settings than {@link #hash} uses today. */
  public static boolean needsUpgrade(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return true;
    }
    try {
      return Integer.parseInt(parts[1]) < ITERATIONS;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  static String hash(String password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] dk = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
  }

  public static boolean verify(String password, String stored) {
    if (password == null || stored == null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !PREFIX.equals(parts[0])) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A random URL-safe secret of {@code bytes} random bytes. */
  public static String randomSecret(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }
}
