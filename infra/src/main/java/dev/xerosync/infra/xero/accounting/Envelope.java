package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import java.time.Clock;
import java.util.UUID;

/**
 * The accounting API's success wrapper: Id, Status, ProviderName, DateTimeUTC, then the collection.
 */
public final class Envelope {
  private Envelope() {}

  public static ObjectNode start(AccountingCall call, Clock clock) {
    return XeroJson.object()
        .put("Id", UUID.randomUUID().toString())
        .put("Status", "OK")
        .put("ProviderName", call.providerName())
        .put("DateTimeUTC", XeroJson.msDateTimeBare(clock.instant()));
  }

  public static ObjectNode pagination(ObjectNode env, int page, int pageSize, int itemCount) {
    int pageCount = (itemCount + pageSize - 1) / pageSize;
    env.putObject("pagination")
        .put("page", page)
        .put("pageSize", pageSize)
        .put("pageCount", pageCount)
        .put("itemCount", itemCount);
    return env;
  }

  public static SimResponse ok(ObjectNode env, String key, ArrayNode items) {
    env.set(key, items);
    return SimResponse.json(200, env);
  }
}
