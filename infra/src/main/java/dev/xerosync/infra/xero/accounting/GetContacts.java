package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * GET /Contacts (paging, IDs, If-Modified-Since, includeArchived, where, searchTerm, summaryOnly)
 * and GET /Contacts/{ContactID}. Archived contacts are left out of lists unless
 * includeArchived=true or asked for by ID. MergedToContactID comes only on a single read or a paged
 * list ({@link AccountingJson#contact(Contact, boolean, boolean)}).
 */
public final class GetContacts implements AccountingOperation {
  private final Clock clock;
  private final boolean single;

  public GetContacts(Clock clock, boolean single) {
    this.clock = clock;
    this.single = single;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger ledger = call.ledger();
    var req = call.request();
    ObjectNode env = Envelope.start(call, clock);
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    if (single) {
      Contact c = ledger.contact(req.pathParams().getFirst().toLowerCase(Locale.ROOT));
      if (c == null) {
        return Problems.notFound();
      }
      items.add(AccountingJson.contact(c, false));
      return Envelope.ok(env, "Contacts", items);
    }
    ListQuery q;
    Predicate<Contact> filter = c -> true;
    try {
      q = ListQuery.of(req);
      var ids = ListQuery.csv(req, "IDs");
      if (ids.isPresent()) {
        Set<String> set = GetInvoices.lower(ids.get());
        filter = filter.and(c -> set.contains(c.contactId()));
      } else if (!req.param("includeArchived").map(Boolean::parseBoolean).orElse(false)) {
        filter = filter.and(c -> Contact.ACTIVE.equals(c.status()));
      }
      if (q.modifiedSince() != null) {
        var since = q.modifiedSince().truncatedTo(ChronoUnit.SECONDS);
        filter = filter.and(c -> !c.updatedDateUtc().isBefore(since));
      }
      var where = req.param("where").filter(s -> !s.isBlank());
      if (where.isPresent()) {
        filter = filter.and(WhereClause.parse(where.get()).forContacts());
      }
      var term = req.param("searchTerm").filter(s -> !s.isBlank());
      if (term.isPresent()) {
        String t = term.get().toLowerCase(Locale.ROOT);
        filter =
            filter.and(
                c ->
                    c.name().toLowerCase(Locale.ROOT).contains(t)
                        || (c.emailAddress() != null
                            && c.emailAddress().toLowerCase(Locale.ROOT).contains(t)));
      }
    } catch (ListQuery.BadQuery e) {
      return Problems.validation(e.getMessage());
    }
    List<Contact> matched = new ArrayList<>(ledger.contacts(filter));
    matched.sort(
        Comparator.comparing(Contact::name, String.CASE_INSENSITIVE_ORDER)
            .thenComparing(Contact::contactId));
    for (Contact c : q.slice(matched)) {
      items.add(AccountingJson.contact(c, q.summaryOnly(), q.paged()));
    }
    if (q.paged()) {
      Envelope.pagination(env, q.page(), q.pageSize(), matched.size());
    }
    return Envelope.ok(env, "Contacts", items);
  }
}
