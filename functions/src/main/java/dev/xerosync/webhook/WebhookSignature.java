package dev.xerosync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Xero signs each delivery with {@code x-xero-signature}: base64 of HMAC-SHA256 over the raw body,
 * keyed with the app's webhook key. The check runs over the exact bytes received, never over a
 * re-serialised body, and compares in constant time.
 */
public final class WebhookSignature {
  private final SecretKeySpec key;

  public WebhookSignature(String webhookKey) {
    if (webhookKey == null || webhookKey.isEmpty()) {
      throw new IllegalArgumentException("webhook key is empty; set XERO_WEBHOOK_KEY");
    }
    this.key = new SecretKeySpec(webhookKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String sign(byte[] body) {
    return Base64.getEncoder().encodeToString(hmac(body));
  }

  public boolean verify(byte[] body, @Nullable String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      return false;
    }
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(signatureHeader.trim());
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(hmac(body), presented);
  }

  private byte[] hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
