package dev.xerosync.outbox;

import dev.xerosync.xero.XeroInvoice;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The query API's invoices in memory; a newer stored invoice is kept, as the store does. */
final class FakeReadSide implements ReadSide {
  final Map<String, XeroInvoice> invoices = new HashMap<>();

  @Override
  public void upsert(String tenantId, XeroInvoice invoice) {
    invoices.merge(
        invoice.invoiceId(),
        invoice,
        (old, now) -> now.updatedDateUtc().isBefore(old.updatedDateUtc()) ? old : now);
  }

  @Override
  public Optional<XeroInvoice> get(String tenantId, String invoiceId) {
    return Optional.ofNullable(invoices.get(invoiceId));
  }
}
