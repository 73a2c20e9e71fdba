package dev.xerosync.infra.xero.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import java.util.function.Function;

/**
 * GET /connections: the tenants the bearer's authorisation reaches, optionally narrowed to one auth
 * event.
 */
public final class ConnectionsHandler implements Route {
  private final IdentityStore store;
  private final Function<String, String> tenantNames;

  public ConnectionsHandler(IdentityStore store, Function<String, String> tenantNames) {
    this.store = store;
    this.tenantNames = tenantNames;
  }

  static Object authorise(IdentityStore store, SimRequest req) {
    String auth = req.header("authorization").orElse("");
    if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Problems.unauthorized();
    }
    return switch (store.check(auth.substring(7).trim())) {
      case IdentityStore.Check.Valid v -> v.token();
      case IdentityStore.Check.Expired e -> Problems.tokenExpired(e.at());
      case IdentityStore.Check.Invalid i -> Problems.unauthorized();
    };
  }

  @Override
  public SimResponse handle(SimRequest req) {
    Object who = authorise(store, req);
    if (who instanceof SimResponse r) {
      return r;
    }
    IdentityStore.AccessToken token = (IdentityStore.AccessToken) who;
    String eventFilter = req.param("authEventId").orElse(null);
    ArrayNode arr = XeroJson.MAPPER.createArrayNode();
    for (IdentityStore.Connection c : token.authorisation().connections()) {
      if (eventFilter != null && !eventFilter.equalsIgnoreCase(c.authEventId())) {
        continue;
      }
      arr.addObject()
          .put("id", c.id())
          .put("authEventId", c.authEventId())
          .put("tenantId", c.tenantId())
          .put("tenantType", "ORGANISATION")
          .put("tenantName", tenantNames.apply(c.tenantId()))
          .put("createdDateUtc", XeroJson.connectionTimestamp(c.createdDateUtc()))
          .put("updatedDateUtc", XeroJson.connectionTimestamp(c.updatedDateUtc()));
    }
    return SimResponse.json(200, arr);
  }
}
