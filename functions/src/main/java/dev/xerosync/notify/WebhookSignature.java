package dev.xerosync.notify;

import dev.xerosync.common.Hmac;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec "Signature scheme"): headers
 * {@code webhook-id}, {@code webhook-timestamp} (unix seconds) and {@code webhook-signature:
 * v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed with the base64-decoded part of the
 * subscription's {@code whsec_} secret, so consumers verify with any Standard Webhooks library.
 *
 * <p>A subscription's secret is never stored: it is HMAC(deployment signing key, "subscription:" +
 * SaaS tenant + "/" + subscription id), so every delivery re-derives it and it is shown only once,
 * when the subscription is created. Rotating the deployment key rotates every secret.
 */
public final class WebhookSignature {
  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";
  public static final String SECRET_PREFIX = "whsec_";

  private final Hmac deploymentKey;

  public WebhookSignature(String deploymentKey) {
    this.deploymentKey = new Hmac(deploymentKey);
  }

  /** The subscription's secret, {@code whsec_<base64 of 32 bytes>}. */
  public String secret(String saasTenantId, String subscriptionId) {
    return SECRET_PREFIX
        + Base64.getEncoder()
            .encodeToString(
                deploymentKey.sign("subscription:" + saasTenantId + "/" + subscriptionId));
  }

  /** The {@code webhook-signature} value for one delivery. */
  public static String sign(String secret, String id, long timestamp, String body) {
    byte[] key =
        Base64.getDecoder()
            .decode(
                secret.startsWith(SECRET_PREFIX)
                    ? secret.substring(SECRET_PREFIX.length())
                    : secret);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /**
   * What a receiver does: true when one of the space-separated {@code v1,} signatures matches, in
   * constant time. Checking the timestamp's age is the receiver's (5 minutes is the spec's advice).
   */
  public static boolean verify(
      String secret, String id, long timestamp, String body, @Nullable String header) {
    if (header == null) {
      return false;
    }
    byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.UTF_8);
    for (String candidate : header.split(" ")) {
      if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }
}
