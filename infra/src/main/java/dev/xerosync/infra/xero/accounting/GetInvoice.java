package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import java.time.Clock;
import java.util.Locale;

/**
 * GET /Invoices/{InvoiceID or InvoiceNumber}: one invoice with its line items, or its PDF when the
 * request accepts application/pdf ({@link InvoicePdf}).
 */
public final class GetInvoice implements AccountingOperation {
  private final Clock clock;

  public GetInvoice(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    String key = call.request().pathParams().getFirst();
    Invoice inv = call.ledger().invoice(key.toLowerCase(Locale.ROOT));
    if (inv == null) {
      inv = call.ledger().invoiceByNumber(key);
    }
    if (inv == null) {
      return Problems.notFound();
    }
    InvoiceView v = call.ledger().view(inv.invoiceId());
    if (call.request().header("Accept").orElse("").contains("application/pdf")) {
      return InvoicePdf.of(v);
    }
    var items =
        XeroJson.MAPPER
            .createArrayNode()
            .add(AccountingJson.invoice(v, AccountingJson.Detail.FULL));
    return Envelope.ok(Envelope.start(call, clock), "Invoices", items);
  }
}
