package dev.xerosync.notify;

import dev.xerosync.common.Hmac;
import java.util.HexFormat;

/**
 * The signature on outbound notifications: header {@code X-XeroSync-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">} with the notification signing key. The
 * timestamp inside the signed text lets the receiver refuse replays older than a few minutes.
 */
public final class NotificationSignature {
  public static final String HEADER = "X-XeroSync-Signature";

  private final Hmac hmac;

  public NotificationSignature(String key) {
    this.hmac = new Hmac(key);
  }

  public String sign(long timestamp, String body) {
    return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac.sign(timestamp + "." + body));
  }

  /** What a receiver does; here for tests and as the reference for SaaS implementers. */
  public boolean verify(String header, String body) {
    if (header == null) {
      return false;
    }
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        t = part.substring(2);
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null) {
      return false;
    }
    return java.security.MessageDigest.isEqual(
        sign(Long.parseLong(t), body).getBytes(), ("t=" + t + ",v1=" + v1).getBytes());
  }
}
