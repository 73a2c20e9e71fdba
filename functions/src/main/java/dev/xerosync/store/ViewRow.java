package dev.xerosync.store;

import dev.xerosync.xero.XeroCredit;
import dev.xerosync.xero.XeroInvoice;

/** One row of a contact's or record's listing: an invoice, or a credit note listed beside them. */
public sealed interface ViewRow {
  record Invoice(XeroInvoice invoice) implements ViewRow {}

  record CreditNote(XeroCredit creditNote) implements ViewRow {}
}
