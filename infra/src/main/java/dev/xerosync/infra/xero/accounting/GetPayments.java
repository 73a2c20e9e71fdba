package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.Payment;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * GET /Payments (paging, If-Modified-Since, where on Status/PaymentType) and GET
 * /Payments/{PaymentID}.
 */
public final class GetPayments implements AccountingOperation {
  private final Clock clock;
  private final boolean single;

  public GetPayments(Clock clock, boolean single) {
    this.clock = clock;
    this.single = single;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    ObjectNode env = Envelope.start(call, clock);
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    if (single) {
      Payment p = ledger.payment(call.request().pathParams().getFirst().toLowerCase(Locale.ROOT));
      if (p == null) {
        return Problems.notFound();
      }
      items.add(AccountingJson.payment(p, ledger));
      return Envelope.ok(env, "Payments", items);
    }
    ListQuery q;
    try {
      q = ListQuery.of(call.request());
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    Predicate<Payment> filter = p -> true;
    if (q.modifiedSince() != null) {
      var since = q.modifiedSince().truncatedTo(ChronoUnit.SECONDS);
      filter = filter.and(p -> !p.updatedDateUtc().isBefore(since));
    }
    var where = call.request().param("where").filter(w -> !w.isBlank());
    if (where.isPresent()) {
      try {
        filter = filter.and(WhereClause.parse(where.get()).forPayments());
      } catch (ListQuery.BadQuery e) {
        return Problems.validation(e.getMessage());
      }
    }
    List<Payment> matched = new ArrayList<>(ledger.payments(filter));
    matched.sort(Comparator.comparing(Payment::updatedDateUtc).thenComparing(Payment::paymentId));
    for (Payment p : q.slice(matched)) {
      items.add(AccountingJson.payment(p, ledger));
    }
    if (q.paged()) {
      Envelope.pagination(env, q.page(), q.pageSize(), matched.size());
    }
    return Envelope.ok(env, "Payments", items);
  }
}
