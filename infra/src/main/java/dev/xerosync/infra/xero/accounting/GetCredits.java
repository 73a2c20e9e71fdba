package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * GET /CreditNotes, /Overpayments, /Prepayments (paging, If-Modified-Since) and each by ID, with
 * Allocations.
 */
public final class GetCredits implements AccountingOperation {
  private final Clock clock;
  private final Credit.Kind kind;
  private final boolean single;

  public GetCredits(Clock clock, Credit.Kind kind, boolean single) {
    this.clock = clock;
    this.kind = kind;
    this.single = single;
  }

  private String key() {
    return switch (kind) {
      case CREDITNOTE -> "CreditNotes";
      case OVERPAYMENT -> "Overpayments";
      case PREPAYMENT -> "Prepayments";
    };
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    ObjectNode env = Envelope.start(call, clock);
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    if (single) {
      Credit c = ledger.credit(call.request().pathParams().getFirst().toLowerCase(Locale.ROOT));
      if (c == null || c.kind() != kind) {
        return Problems.notFound();
      }
      items.add(AccountingJson.credit(c, ledger, ledger.allocationsOfCredit(c.creditId())));
      return Envelope.ok(env, key(), items);
    }
    ListQuery q;
    try {
      q = ListQuery.of(call.request());
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    Predicate<Credit> filter = c -> c.kind() == kind;
    if (q.modifiedSince() != null) {
      var since = q.modifiedSince().truncatedTo(ChronoUnit.SECONDS);
      filter = filter.and(c -> !c.updatedDateUtc().isBefore(since));
    }
    List<Credit> matched = new ArrayList<>(ledger.credits(filter));
    matched.sort(Comparator.comparing(Credit::updatedDateUtc).thenComparing(Credit::creditId));
    for (Credit c : q.slice(matched)) {
      items.add(AccountingJson.credit(c, ledger, ledger.allocationsOfCredit(c.creditId())));
    }
    if (q.paged()) {
      Envelope.pagination(env, q.page(), q.pageSize(), matched.size());
    }
    return Envelope.ok(env, key(), items);
  }
}
