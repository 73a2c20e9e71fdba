package dev.xerosync.infra.xero.identity;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;

/** DELETE /connections/{id}: disconnects one tenant from the bearer's authorisation. */
public final class DeleteConnectionHandler implements Route {
  private final IdentityStore store;

  public DeleteConnectionHandler(IdentityStore store) {
    this.store = store;
  }

  @Override
  public SimResponse handle(SimRequest req) {
    Object who = ConnectionsHandler.authorise(store, req);
    if (who instanceof SimResponse r) {
      return r;
    }
    IdentityStore.AccessToken token = (IdentityStore.AccessToken) who;
    return store.disconnect(token.authorisation(), req.pathParams().getFirst())
        ? SimResponse.empty(204)
        : Problems.notFound();
  }
}
