package dev.xerosync.infra.xero.identity;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import java.util.Map;

/**
 * POST /connect/revocation: revokes a refresh token; per RFC 7009 an unknown token still answers
 * 200.
 */
public final class RevocationHandler implements Route {
  private final IdentityStore store;

  public RevocationHandler(IdentityStore store) {
    this.store = store;
  }

  @Override
  public SimResponse handle(SimRequest req) {
    Map<String, String> form = SimRequest.parseQuery(req.bodyText());
    String[] client = TokenHandler.clientCredentials(req, form);
    if (client[0] == null || !store.authenticateClient(client[0], client[1])) {
      return Problems.oauthError(400, "invalid_client");
    }
    store.revoke(client[0], form.get("token"));
    return SimResponse.empty(200);
  }
}
