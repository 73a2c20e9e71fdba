package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Invoice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * GET /Invoices/{InvoiceID}/OnlineInvoice: the invoice's online invoice link, in the shape of the
 * spec's example (xero_accounting.yaml, operation getOnlineInvoice: the envelope, then {@code
 * OnlineInvoices: [{OnlineInvoiceUrl: "https://in.xero.com/…"}]}). The URL is the same on every
 * call for an invoice, as Xero's is, so a client that keeps it keeps a working link.
 */
public final class GetOnlineInvoice implements AccountingOperation {
  private final Clock clock;
  private final Map<String, LongAdder> served = new ConcurrentHashMap<>();

  public GetOnlineInvoice(Clock clock) {
    this.clock = clock;
  }

  /** How many online invoice links this tenant was given: a client should ask once per invoice. */
  public long served(String tenantId) {
    LongAdder n = served.get(tenantId.toLowerCase(Locale.ROOT));
    return n == null ? 0 : n.sum();
  }

  @Override
  public SimResponse handle(AccountingCall call) throws NoSuchAlgorithmException {
    String id = call.request().pathParams().getFirst().toLowerCase(Locale.ROOT);
    Invoice inv = call.ledger().invoice(id);
    if (inv == null) {
      return Problems.notFound();
    }
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(("online-invoice:" + inv.invoiceId()).getBytes(StandardCharsets.UTF_8));
    String url =
        "https://in.xero.com/"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 40);
    served
        .computeIfAbsent(
            call.request().header("xero-tenant-id").orElse("").toLowerCase(Locale.ROOT),
            t -> new LongAdder())
        .increment();
    var items = XeroJson.MAPPER.createArrayNode();
    items.addObject().put("OnlineInvoiceUrl", url);
    return Envelope.ok(Envelope.start(call, clock), "OnlineInvoices", items);
  }
}
