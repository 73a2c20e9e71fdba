package dev.xerosync.outbox;

import dev.xerosync.store.InvoiceStore;
import dev.xerosync.xero.XeroInvoice;
import java.util.Optional;

/** The query API's stored invoices, which a write updates at once (read-your-write). */
interface ReadSide {
  ReadSide NONE =
      new ReadSide() {
        @Override
        public void upsert(String tenantId, XeroInvoice invoice) {}

        @Override
        public Optional<XeroInvoice> get(String tenantId, String invoiceId) {
          return Optional.empty();
        }
      };

  /** Stores the invoice unless a newer one is already stored. */
  void upsert(String tenantId, XeroInvoice invoice);

  Optional<XeroInvoice> get(String tenantId, String invoiceId);

  static ReadSide of(InvoiceStore invoices) {
    if (invoices == null) {
      return NONE;
    }
    return new ReadSide() {
      @Override
      public void upsert(String tenantId, XeroInvoice invoice) {
        invoices.upsert(tenantId, invoice);
      }

      @Override
      public Optional<XeroInvoice> get(String tenantId, String invoiceId) {
        return invoices.get(tenantId, invoiceId);
      }
    };
  }
}
