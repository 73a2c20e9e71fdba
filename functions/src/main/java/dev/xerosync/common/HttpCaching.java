package dev.xerosync.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Strong ETags from the body's SHA-256 and conditional GETs (RFC 9110): a client that revalidates a
 * view it already has gets a 304 with no body. The DynamoDB reads still happen (the body is what
 * changes), so this saves the consumer bandwidth and parsing, not us reads.
 */
public final class HttpCaching {
  /**
   * Tenant data: any cache must revalidate each time, and only the caller's own cache may keep it.
   */
  public static final String PRIVATE_REVALIDATE = "private, no-cache";

  public static final String NO_STORE = "no-store";

  /** The OpenAPI document changes only with a deployment. */
  public static final String PUBLIC_FIVE_MINUTES = "public, max-age=300";

  private HttpCaching() {}

  /** A strong tag: 27 base64url characters (162 bits) of the body's SHA-256. */
  public static String etag(String body) {
    return "\""
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Sha256.digest(body))
            .substring(0, 27)
        + "\"";
  }

  /**
   * If-None-Match holds the tag (weak comparison, as RFC 9110 asks for If-None-Match) or is "*".
   */
  public static boolean notModified(@Nullable String ifNoneMatch, String etag) {
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

  /**
   * A 200 with ETag, Cache-Control and {@code headers} (Vary, CORS), or a bodiless 304 with the
   * same headers when the client's copy is current.
   */
  public static APIGatewayProxyResponseEvent ok(
      @Nullable String ifNoneMatch,
      String body,
      String contentType,
      String cacheControl,
      Map<String, String> headers) {
    String etag = etag(body);
    Map<String, String> all = new HashMap<>(headers);
    all.put("ETag", etag);
    all.put("Cache-Control", cacheControl);
    if (notModified(ifNoneMatch, etag)) {
      return new APIGatewayProxyResponseEvent().withStatusCode(304).withHeaders(all).withBody("");
    }
    all.put("Content-Type", contentType);
    all.put(ApiResponses.NOSNIFF, "nosniff");
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(all).withBody(body);
  }
}
