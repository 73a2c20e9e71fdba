package dev.xerosync.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Hmac;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The signed {@code state} of a connect flow (and the signed choice token of its pick step): {@code
 * v1.<base64url JSON {flow, use, exp}>.<base64url HMAC-SHA256>}. The signature stops tampering,
 * {@code exp} stops late use, and single use is enforced by {@link ConnectFlows} (the signature
 * alone cannot stop a replay). The flow's PKCE verifier is derived from the same key and the flow
 * id, so it is never stored anywhere and never leaves the server except to Xero's token endpoint.
 */
public final class ConnectState {
  public static final Duration TTL = Duration.ofMinutes(10);

  private final Hmac hmac;
  private final Clock clock;

  public ConnectState(String signingKey, Clock clock) {
    this.hmac = new Hmac(signingKey);
    this.clock = clock;
  }

  /** 400 "Invalid state", with what the user does next. */
  private static Problem invalid(String detail) {
    return new Problem(400, "Invalid state", detail);
  }

  public String issue(String flowId, String use, Instant expiresAt) {
    ObjectNode payload =
        Json.MAPPER
            .createObjectNode()
            .put("flow", flowId)
            .put("use", use)
            .put("exp", expiresAt.getEpochSecond());
    String body = "v1." + Hmac.b64(payload.toString());
    return body + "." + hmac.signB64(body);
  }

  /** The flow id of a valid, unexpired token issued for {@code use}. */
  public String verify(@Nullable String token, String use) throws Problem {
    if (token == null || token.isBlank()) {
      throw invalid(
          "The request has no state parameter. Start connecting again from your app; do not bookmark the Xero login page.");
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3 || !parts[0].equals("v1")) {
      throw invalid("The state parameter is malformed. Start connecting again from your app.");
    }
    String body = parts[0] + "." + parts[1];
    if (!hmac.verifyB64(body, parts[2])) {
      throw invalid(
          "The state parameter was altered (its signature does not match), so the request was refused. Start connecting again from your app.");
    }
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(Hmac.unb64(parts[1]));
    } catch (Exception e) {
      throw invalid("The state parameter is malformed. Start connecting again from your app.");
    }
    if (!use.equals(payload.path("use").asText())) {
      throw invalid(
          "The state parameter belongs to another step of the connect flow. Start connecting again from your app.");
    }
    Instant exp = Instant.ofEpochSecond(payload.path("exp").asLong(0));
    if (!clock.instant().isBefore(exp)) {
      throw invalid(
          "This connect link expired at "
              + exp
              + " (links last "
              + TTL.toMinutes()
              + " minutes). Start connecting again from your app.");
    }
    return payload.path("flow").asText();
  }

  /**
   * RFC 7636 code_verifier: 43 base64url characters derived from the flow id, so nothing stores it.
   */
  public String pkceVerifier(String flowId) {
    return hmac.signB64("pkce:" + flowId);
  }

  /** RFC 7636 S256: base64url of the verifier's SHA-256 (the verifier is ASCII). */
  public static String pkceChallenge(String verifier) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Sha256.digest(verifier));
  }
}
