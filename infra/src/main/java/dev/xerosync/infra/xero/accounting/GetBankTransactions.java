package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.BankTransaction;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** GET /BankTransactions (paging, If-Modified-Since, where) and GET /BankTransactions/{id}. */
public final class GetBankTransactions implements AccountingOperation {
  private final Clock clock;
  private final boolean single;

  public GetBankTransactions(Clock clock, boolean single) {
    this.clock = clock;
    this.single = single;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    ObjectNode env = Envelope.start(call, clock);
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    if (single) {
      BankTransaction b =
          ledger.bankTransaction(call.request().pathParams().getFirst().toLowerCase(Locale.ROOT));
      if (b == null) {
        return Problems.notFound();
      }
      items.add(AccountingJson.bankTransaction(b, ledger));
      return Envelope.ok(env, "BankTransactions", items);
    }
    ListQuery q;
    Predicate<BankTransaction> filter = b -> true;
    try {
      q = ListQuery.of(call.request());
      if (q.modifiedSince() != null) {
        var since = q.modifiedSince().truncatedTo(ChronoUnit.SECONDS);
        filter = filter.and(b -> !b.updatedDateUtc().isBefore(since));
      }
      var where = call.request().param("where").filter(w -> !w.isBlank());
      if (where.isPresent()) {
        filter = filter.and(WhereClause.parse(where.get()).forBankTransactions());
      }
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    List<BankTransaction> matched = new ArrayList<>(ledger.bankTransactions(filter));
    matched.sort(
        Comparator.comparing(BankTransaction::updatedDateUtc)
            .thenComparing(BankTransaction::bankTransactionId));
    for (BankTransaction b : q.slice(matched)) {
      items.add(AccountingJson.bankTransaction(b, ledger));
    }
    if (q.paged()) {
      Envelope.pagination(env, q.page(), q.pageSize(), matched.size());
    }
    return Envelope.ok(env, "BankTransactions", items);
  }
}
