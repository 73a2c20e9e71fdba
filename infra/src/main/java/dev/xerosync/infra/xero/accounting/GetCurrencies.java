package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;

/** GET /Currencies: the currencies the organisation subscribes to, base currency first. */
public final class GetCurrencies implements AccountingOperation {
  private final Clock clock;

  public GetCurrencies(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    for (String code : call.ledger().currencies()) {
      String name;
      try {
        name = Currency.getInstance(code).getDisplayName(Locale.ENGLISH);
      } catch (IllegalArgumentException e) {
        name = code;
      }
      items.addObject().put("Code", code).put("Description", name);
    }
    return Envelope.ok(Envelope.start(call, clock), "Currencies", items);
  }
}
