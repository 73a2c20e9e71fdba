package dev.xerosync.infra.xero.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * POST /connect/token: authorization_code and refresh_token grants, client authenticated by Basic
 * header or form fields.
 */
public final class TokenHandler implements Route {
  private final IdentityStore store;
  private final Clock clock;

  public TokenHandler(IdentityStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * clientId and secret from HTTP Basic, falling back to the form (PKCE apps send only client_id).
   */
  static String[] clientCredentials(SimRequest req, Map<String, String> form) {
    Optional<String> auth = req.header("authorization");
    if (auth.isPresent() && auth.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(auth.get().substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        }
      } catch (IllegalArgumentException ignored) {
        return new String[] {null, null};
      }
    }
    return new String[] {form.get("client_id"), form.get("client_secret")};
  }

  @Override
  public SimResponse handle(SimRequest req) {
    Map<String, String> form = SimRequest.parseQuery(req.bodyText());
    String[] client = clientCredentials(req, form);
    if (client[0] == null || !store.authenticateClient(client[0], client[1])) {
      return Problems.oauthError(400, "invalid_client");
    }
    String grantType = form.get("grant_type");
    Optional<IdentityStore.Issued> issued;
    if ("authorization_code".equals(grantType)) {
      issued =
          store.redeemCode(
              client[0], form.get("code"), form.get("redirect_uri"), form.get("code_verifier"));
    } else if ("refresh_token".equals(grantType)) {
      issued = store.refresh(client[0], form.get("refresh_token"));
    } else {
      return Problems.oauthError(400, "unsupported_grant_type");
    }
    if (issued.isEmpty()) {
      return Problems.oauthError(400, "invalid_grant");
    }
    IdentityStore.Issued t = issued.get();
    ObjectNode body =
        XeroJson.object()
            .put("access_token", t.accessToken())
            .put("expires_in", Duration.between(clock.instant(), t.accessExpiresAt()).toSeconds())
            .put("token_type", "Bearer");
    if (t.refreshToken() != null) {
      body.put("refresh_token", t.refreshToken());
    }
    body.put("scope", t.scope());
    if (t.idToken() != null) {
      body.put("id_token", t.idToken());
    }
    return SimResponse.json(200, body)
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache");
  }
}
