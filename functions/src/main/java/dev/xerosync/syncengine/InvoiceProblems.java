package dev.xerosync.syncengine;

import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.xero.XeroInvoice;
import java.util.ArrayList;
import java.util.List;

/**
 * Invoices Xero sent with ValidationErrors or Warnings. One with errors is not stored: the store
 * keeps its last clean state and the next sweep reads it again. One with warnings is stored (Xero
 * saved it), and both are logged with Xero's messages and counted, so neither passes as clean.
 */
final class InvoiceProblems {
  private static final Log LOG = Log.of(InvoiceProblems.class);

  private InvoiceProblems() {}

  static List<XeroInvoice> storable(String tenantId, List<XeroInvoice> fetched) {
    List<XeroInvoice> out = new ArrayList<>(fetched.size());
    for (XeroInvoice inv : fetched) {
      if (!inv.warnings().isEmpty()) {
        Metrics.count(Metrics.XERO_INVOICE_PROBLEMS, 1, "Kind", "warnings");
        LOG.warn(
            "Xero sent an invoice with warnings; stored",
            "tenantId",
            tenantId,
            "invoiceId",
            inv.invoiceId(),
            "warnings",
            inv.warnings());
      }
      if (inv.hasValidationErrors()) {
        Metrics.count(Metrics.XERO_INVOICE_PROBLEMS, 1, "Kind", "validationerrors");
        LOG.warn(
            "Xero sent an invoice with validation errors; not stored, the last clean state stands",
            "tenantId",
            tenantId,
            "invoiceId",
            inv.invoiceId(),
            "validationErrors",
            inv.validationErrors());
        continue;
      }
      out.add(inv);
    }
    return out;
  }
}
