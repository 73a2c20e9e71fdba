package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * GET /Invoices. Filters (IDs, InvoiceNumbers, ContactIDs, Statuses, If-Modified-Since, where,
 * searchTerm, createdByMyApp) combine with AND. Line items come back only when paging (page=N), as
 * in Xero; summaryOnly drops line items and the payment/credit collections.
 */
public final class GetInvoices implements AccountingOperation {
  private final Clock clock;

  public GetInvoices(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    var req = call.request();
    Ledger ledger = call.ledger();
    ListQuery q;
    Predicate<Invoice> filter;
    java.util.Comparator<Invoice> order;
    try {
      q = ListQuery.of(req);
      filter = filter(call, q);
      order = InvoiceOrder.parse(req.param("order").orElse(null), ledger);
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    List<Invoice> matched = new ArrayList<>(ledger.invoices(filter));
    matched.sort(order);
    List<InvoiceView> page = ledger.views(q.slice(matched));
    AccountingJson.Detail detail =
        q.summaryOnly()
            ? AccountingJson.Detail.SUMMARY
            : q.paged() ? AccountingJson.Detail.FULL : AccountingJson.Detail.NO_LINES;
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    for (InvoiceView v : page) {
      items.add(AccountingJson.invoice(v, detail));
    }
    ObjectNode env = Envelope.start(call, clock);
    if (q.paged()) {
      Envelope.pagination(env, q.page(), q.pageSize(), matched.size());
    }
    return Envelope.ok(env, "Invoices", items);
  }

  static Predicate<Invoice> filter(AccountingCall call, ListQuery q) {
    var req = call.request();
    Predicate<Invoice> p = i -> true;
    var ids = ListQuery.csv(req, "IDs");
    if (ids.isPresent()) {
      Set<String> set = lower(ids.get());
      p = p.and(i -> set.contains(i.invoiceId()));
    }
    var numbers = ListQuery.csv(req, "InvoiceNumbers");
    if (numbers.isPresent()) {
      Set<String> set = new HashSet<>(numbers.get());
      p = p.and(i -> set.contains(i.invoiceNumber()));
    }
    var contacts = ListQuery.csv(req, "ContactIDs");
    if (contacts.isPresent()) {
      Set<String> set = lower(contacts.get());
      p = p.and(i -> set.contains(i.contactId()));
    }
    var statuses = ListQuery.csv(req, "Statuses");
    if (statuses.isPresent()) {
      Set<String> set = new HashSet<>();
      statuses.get().forEach(s -> set.add(s.toUpperCase(Locale.ROOT)));
      p = p.and(i -> set.contains(i.status()));
    }
    if (q.modifiedSince() != null) {
      // Inclusive, and at second precision as the header carries it, so a sync restarting from its
      // last
      // seen UpdatedDateUTC never misses a record written in the same second.
      var since = q.modifiedSince().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      p = p.and(i -> !i.updatedDateUtc().isBefore(since));
    }
    if (req.param("createdByMyApp").map(Boolean::parseBoolean).orElse(false)) {
      p = p.and(i -> call.clientId().equals(i.createdByClientId()));
    }
    var where = req.param("where").filter(s -> !s.isBlank());
    if (where.isPresent()) {
      p = p.and(WhereClause.parse(where.get()).forInvoices(call.ledger()));
    }
    var term = req.param("searchTerm").filter(s -> !s.isBlank());
    if (term.isPresent()) {
      String t = term.get().toLowerCase(Locale.ROOT);
      // searchTerm matches InvoiceNumber and Reference, case-insensitively (Xero docs).
      p =
          p.and(
              i ->
                  i.invoiceNumber().toLowerCase(Locale.ROOT).contains(t)
                      || i.reference().toLowerCase(Locale.ROOT).contains(t));
    }
    return p;
  }

  static Set<String> lower(List<String> xs) {
    Set<String> set = new HashSet<>();
    xs.forEach(x -> set.add(x.toLowerCase(Locale.ROOT)));
    return set;
  }
}
