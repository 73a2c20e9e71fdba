package dev.xerosync.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/** Xero's token endpoint, with the app's Basic client authentication. */
public final class XeroIdentity {
  private final HttpClient http;
  private final URI tokenEndpoint;
  private final URI revocationEndpoint;
  private final String basicAuth;
  private final Clock clock;

  public XeroIdentity(
      HttpClient http, URI identityBase, String clientId, String clientSecret, Clock clock) {
    this.http = http;
    this.tokenEndpoint = identityBase.resolve("/connect/token");
    this.revocationEndpoint = identityBase.resolve("/connect/revocation");
    this.basicAuth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
  }

  public ConnectionTokens refresh(String refreshToken) throws TokenRefreshException {
    return grant("grant_type=refresh_token&refresh_token=" + enc(refreshToken)).tokens();
  }

  /** What an authorization code brings: the tokens, who consented, and the consent's auth event. */
  public record CodeGrant(ConnectionTokens tokens, String email, String authEventId) {
    @Override
    public String toString() {
      return "CodeGrant[authEventId=" + authEventId + ", tokens=<redacted>]";
    }
  }

  /**
   * The authorization_code grant, with the PKCE verifier (RFC 7636) alongside the client secret.
   */
  public CodeGrant exchangeCode(String code, URI redirectUri, String codeVerifier)
      throws TokenRefreshException {
    Granted g =
        grant(
            "grant_type=authorization_code&code="
                + enc(code)
                + "&redirect_uri="
                + enc(redirectUri.toString())
                + "&code_verifier="
                + enc(codeVerifier));
    // Claims are read without checking the signatures: both tokens came straight from Xero's token
    // endpoint over TLS, which OpenID Connect Core 3.1.3.7 (6) accepts in place of signature
    // checks.
    String email = jwtClaims(g.idToken()).path("email").asText(null);
    String authEventId =
        jwtClaims(g.tokens().accessToken()).path("authentication_event_id").asText(null);
    return new CodeGrant(g.tokens(), email, authEventId);
  }

  /**
   * RFC 7009 revocation of a refresh token; Xero removes every connection of that authorisation.
   */
  public void revoke(String refreshToken) throws TokenRefreshException {
    HttpRequest request =
        HttpRequest.newBuilder(revocationEndpoint)
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", basicAuth)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(refreshToken)))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        throw new TokenRefreshException(
            "revocation_failed", "Xero's revocation endpoint answered " + status);
      }
    } catch (IOException e) {
      throw new TokenRefreshException(
          "unreachable",
          "Xero's revocation endpoint did not answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenRefreshException("interrupted", "interrupted while revoking a token");
    }
  }

  private record Granted(ConnectionTokens tokens, String idToken) {}

  private static JsonNode jwtClaims(String jwt) {
    if (jwt == null) {
      return Json.MAPPER.createObjectNode();
    }
    String[] parts = jwt.split("\\.");
    try {
      return parts.length < 2
          ? Json.MAPPER.createObjectNode()
          : Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | IllegalArgumentException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Granted grant(String form) throws TokenRefreshException {
    HttpRequest request =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", basicAuth)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = Json.MAPPER.readTree(response.body());
      if (response.statusCode() != 200) {
        String error = body.path("error").asText("unknown_error");
        throw new TokenRefreshException(error, "Xero refused the token request: " + error);
      }
      var now = clock.instant();
      return new Granted(
          new ConnectionTokens(
              body.path("access_token").asText(),
              body.path("refresh_token").asText(),
              now.plusSeconds(body.path("expires_in").asLong(1800)),
              now),
          body.path("id_token").asText(null));
    } catch (IOException e) {
      throw new TokenRefreshException(
          "unreachable", "Xero's token endpoint did not answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenRefreshException("interrupted", "interrupted while refreshing a token");
    }
  }
}
