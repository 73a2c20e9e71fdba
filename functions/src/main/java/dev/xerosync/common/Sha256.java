package dev.xerosync.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of UTF-8 text: how API keys, panel tokens and idempotency keys are stored (never the
 * secret itself), how queue messages are deduplicated, and what ETags and PKCE challenges derive
 * from.
 */
public final class Sha256 {
  private Sha256() {}

  public static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** 64 lowercase hex digits. */
  public static String hex(String text) {
    return HexFormat.of().formatHex(digest(text));
  }
}
