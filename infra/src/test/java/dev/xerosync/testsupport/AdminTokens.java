package dev.xerosync.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints admin tokens as a SaaS backend does, by docs/connect.md's recipe ({@code xsa1.<b64url
 * payload>.<b64url HMAC-SHA256>}), written apart from the service's own code so that the tests hold
 * it to the documented format.
 */
public final class AdminTokens {
  private AdminTokens() {}

  public static String mint(
      String adminApiKey, String saasTenantId, String email, Instant expiresAt) {
    String payload =
        "{\"sub\":\""
            + saasTenantId
            + "\",\"email\":\""
            + email
            + "\",\"exp\":"
            + expiresAt.getEpochSecond()
            + "}";
    String body = "xsa1." + b64(payload.getBytes(StandardCharsets.UTF_8));
    return body + "." + b64(hmac(adminApiKey, body));
  }

  private static byte[] hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
