package dev.xerosync.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Hmac;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Who may connect, disconnect and read connection statuses: an admin of the SaaS tenant. Two ways
 * in:
 *
 * <ul>
 *   <li>{@code x-admin-key: <admin API key>}: the SaaS backend itself, for any SaaS tenant;
 *   <li>a signed admin token {@code xsa1.<base64url JSON {sub, email, exp}>.<base64url
 *       HMAC-SHA256>} keyed with the admin API key, minted by the SaaS backend for one admin of one
 *       SaaS tenant ({@code sub}), sent as {@code Authorization: Bearer …}, or as {@code
 *       ?admin_token=} on the browser's connect link.
 * </ul>
 *
 * <p>A refusal is a {@link Problem}: 401 with no or a bad credential, 403 for another tenant's
 * admin.
 */
public final class AdminAuth {
  /** An authenticated admin; {@code saasTenantId} null means the SaaS backend (any tenant). */
  public record Admin(@Nullable String saasTenantId, @Nullable String email, String via) {
    public String who() {
      return email != null ? email : via;
    }
  }

  /** 401: no admin credential, or one that is not valid. */
  private static Problem notAdmin(String detail) {
    return new Problem(401, "Admin authentication required", detail);
  }

  /** The longest an admin token may live (docs/security.md). */
  public static final java.time.Duration MAX_LIFETIME = java.time.Duration.ofHours(1);

  private final String adminApiKey;
  private final Hmac hmac;
  private final Clock clock;

  public AdminAuth(String adminApiKey, Clock clock) {
    this.adminApiKey = adminApiKey;
    this.hmac = new Hmac(adminApiKey);
    this.clock = clock;
  }

  /** What a SaaS tenant id in a path looks like. */
  public static final java.util.regex.Pattern SAAS_TENANT =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  /** The path's {@code saasTenantId}, or a 400 that says what one looks like. */
  public static String saasTenantId(APIGatewayProxyRequestEvent request) throws Problem {
    String id = Requests.path(request, "saasTenantId");
    if (id == null || !SAAS_TENANT.matcher(id).matches()) {
      throw new Problem(
          400,
          "Invalid SaaS tenant id",
          "The SaaS tenant id in the path must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");
    }
    return id;
  }

  public Admin authenticate(APIGatewayProxyRequestEvent request, @Nullable String saasTenantId)
      throws Problem {
    String key = Requests.header(request, "x-admin-key");
    if (key != null) {
      if (!MessageDigest.isEqual(
          key.getBytes(StandardCharsets.UTF_8), adminApiKey.getBytes(StandardCharsets.UTF_8))) {
        throw notAdmin("The x-admin-key header does not match this deployment's admin API key.");
      }
      return new Admin(null, null, "admin-api-key");
    }
    String token = bearer(request);
    if (token == null) {
      throw notAdmin(
          "Only an admin of the SaaS tenant may do this. Send x-admin-key: <admin API key>, "
              + "or Authorization: Bearer <admin token> (or ?admin_token= on a browser link); see docs/connect.md.");
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3
        || !parts[0].equals("xsa1")
        || !hmac.verifyB64(parts[0] + "." + parts[1], parts[2])) {
      throw notAdmin(
          "The admin token is not valid: it is malformed or its signature does not match. Mint a new one with the admin API key.");
    }
    JsonNode claims;
    try {
      claims = Json.MAPPER.readTree(Hmac.unb64(parts[1]));
    } catch (Exception e) {
      throw notAdmin("The admin token is malformed. Mint a new one with the admin API key.");
    }
    Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong(0));
    if (!clock.instant().isBefore(exp)) {
      throw notAdmin("The admin token expired at " + exp + ". Mint a new one.");
    }
    // A leaked token must not outlive the admin's session by much: longer ones are refused.
    if (exp.isAfter(clock.instant().plus(MAX_LIFETIME))) {
      throw notAdmin(
          "The admin token expires at "
              + exp
              + ", more than "
              + MAX_LIFETIME.toMinutes()
              + " minutes ahead; mint tokens that live at most that long.");
    }
    String sub = claims.path("sub").asText("");
    if (!sub.equals(saasTenantId)) {
      throw new Problem(
          403,
          "Forbidden",
          "The admin token is for SaaS tenant '" + sub + "', not '" + saasTenantId + "'.");
    }
    String email = claims.path("email").asText(null);
    return new Admin(sub, email == null || email.isBlank() ? null : email, "admin-token");
  }

  private static @Nullable String bearer(APIGatewayProxyRequestEvent request) {
    String token = Requests.bearer(request);
    return token != null ? token : Requests.query(request, "admin_token");
  }
}
