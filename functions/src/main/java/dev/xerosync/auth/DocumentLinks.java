package dev.xerosync.auth;

import dev.xerosync.common.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Short-lived signed links to one invoice's PDF: whoever holds the link may fetch that one PDF
 * until it expires, with no credential of their own (a browser tab cannot send one). The signature
 * is HMAC-SHA256 over tenant, invoice and expiry, with a key derived for this purpose alone from
 * the stack's generated signing secret.
 */
public final class DocumentLinks {
  /** How long a link works: long enough to open it, short enough that a shared link soon dies. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  /** One signed link's query: the expiry (epoch seconds) and the signature. */
  public record Signed(long expires, String signature) {}

  private final byte[] key;
  private final Clock clock;

  public DocumentLinks(String signingSecret, Clock clock) {
    this.key = hmac(signingSecret.getBytes(StandardCharsets.UTF_8), "xero-sync invoice pdf link");
    this.clock = clock;
  }

  public Signed sign(String tenantId, String invoiceId) {
    long expires = clock.instant().plus(LIFETIME).getEpochSecond();
    return new Signed(expires, signature(tenantId, invoiceId, expires));
  }

  /** 403 unless the link was signed here for this invoice and has not expired. */
  public void verify(
      String tenantId, String invoiceId, @Nullable String expires, @Nullable String signature)
      throws Problem {
    long at;
    try {
      at = Long.parseLong(expires == null ? "" : expires);
    } catch (NumberFormatException e) {
      throw refused("The link has no valid expiry; open the PDF again from the panel.");
    }
    byte[] expected = signature(tenantId, invoiceId, at).getBytes(StandardCharsets.US_ASCII);
    byte[] given = (signature == null ? "" : signature).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      throw refused("The link's signature does not match; open the PDF again from the panel.");
    }
    Instant now = clock.instant();
    if (!now.isBefore(Instant.ofEpochSecond(at))) {
      throw refused("The link expired; open the PDF again from the panel for a fresh one.");
    }
  }

  private String signature(String tenantId, String invoiceId, long expires) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(hmac(key, tenantId + "\n" + invoiceId + "\n" + expires));
  }

  private static Problem refused(String detail) {
    return new Problem(403, "Link not valid", detail);
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
