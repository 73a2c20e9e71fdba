package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Strong ETags from the body's SHA-256 and conditional GETs (RFC 9110): a client that revalidates a
 * view it already has gets a 304 with no body. The DynamoDB reads still happen (the body is what
 * changes), so this saves the consumer bandwidth and parsing, not us reads.
 */
final class HttpCaching {
  /**
   * Tenant data: any cache must revalidate each time, and only the caller's own cache may keep it.
   */
  static final String PRIVATE_REVALIDATE = "private, no-cache";

  static final String NO_STORE = "no-store";

  /** The OpenAPI document changes only with a deployment. */
  static final String PUBLIC_FIVE_MINUTES = "public, max-age=300";

  private HttpCaching() {}

  static String etag(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * If-None-Match holds the tag (weak comparison, as RFC 9110 asks for If-None-Match) or is "*".
   */
  static boolean notModified(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** A 200 with ETag and Cache-Control, or a bodiless 304 when the client's copy is current. */
  static APIGatewayProxyResponseEvent ok(
      String ifNoneMatch, String body, String contentType, String cacheControl, String vary) {
    String etag = etag(body);
    Map<String, String> headers = new HashMap<>();
    headers.put("ETag", etag);
    headers.put("Cache-Control", cacheControl);
    if (vary != null) {
      headers.put("Vary", vary);
    }
    if (notModified(ifNoneMatch, etag)) {
      return new APIGatewayProxyResponseEvent()
          .withStatusCode(304)
          .withHeaders(headers)
          .withBody("");
    }
    headers.put("Content-Type", contentType);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(headers)
        .withBody(body);
  }
}
