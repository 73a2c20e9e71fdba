package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.util.Comparator;
import java.util.Locale;

/**
 * The order parameter ("InvoiceNumber ASC, Date DESC"). Without one the simulator sorts by
 * UpdatedDateUTC then InvoiceID, which keeps paging with If-Modified-Since stable (Xero documents
 * no default; this is our choice).
 */
final class InvoiceOrder {
  private InvoiceOrder() {}

  static Comparator<Invoice> parse(String order, Ledger ledger) {
    Comparator<Invoice> byDefault =
        Comparator.comparing(Invoice::updatedDateUtc).thenComparing(Invoice::invoiceId);
    if (order == null || order.isBlank()) {
      return byDefault;
    }
    Comparator<Invoice> result = null;
    for (String term : order.split(",")) {
      String[] parts = term.trim().split("\\s+");
      Comparator<Invoice> c = field(parts[0], ledger);
      if (parts.length > 1 && parts[1].equalsIgnoreCase("DESC")) {
        c = c.reversed();
      } else if (parts.length > 1 && !parts[1].equalsIgnoreCase("ASC")) {
        throw new ListQuery.BadQuery("Syntax error in order: '" + term.trim() + "'");
      }
      result = result == null ? c : result.thenComparing(c);
    }
    return result.thenComparing(Invoice::invoiceId);
  }

  private static Comparator<Invoice> field(String name, Ledger ledger) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "invoicenumber" -> Comparator.comparing(Invoice::invoiceNumber);
      case "invoiceid" -> Comparator.comparing(Invoice::invoiceId);
      case "date" -> Comparator.comparing(Invoice::date);
      case "duedate" ->
          Comparator.comparing(Invoice::dueDate, Comparator.nullsFirst(Comparator.naturalOrder()));
      case "updateddateutc" -> Comparator.comparing(Invoice::updatedDateUtc);
      case "total" -> Comparator.comparing(Invoice::total);
      case "subtotal" -> Comparator.comparing(Invoice::subTotal);
      case "status" -> Comparator.comparing(Invoice::status);
      case "reference" -> Comparator.comparing(Invoice::reference);
      case "type" -> Comparator.comparing(Invoice::type);
      case "contact.name" -> Comparator.comparing(i -> ledger.contact(i.contactId()).name());
      case "amountdue" -> Comparator.comparing(i -> ledger.view(i.invoiceId()).amountDue());
      default ->
          throw new ListQuery.BadQuery(
              "No property or field '" + name + "' exists in type 'Invoice'");
    };
  }
}
