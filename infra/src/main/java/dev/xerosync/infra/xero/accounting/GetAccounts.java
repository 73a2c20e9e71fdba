package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Account;
import java.time.Clock;

/** GET /Accounts: the organisation's chart of accounts. */
public final class GetAccounts implements AccountingOperation {
  private final Clock clock;

  public GetAccounts(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    for (Account a : call.ledger().accounts()) {
      items.add(AccountingJson.account(a, call.ledger().baseCurrency()));
    }
    return Envelope.ok(Envelope.start(call, clock), "Accounts", items);
  }
}
