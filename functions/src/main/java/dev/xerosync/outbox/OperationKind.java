package dev.xerosync.outbox;

/** What an operation does in Xero; each kind has its own exactly-once lookup. */
public enum OperationKind {
  /** Creates or updates the invoice our external id names; looked up by InvoiceNumbers=. */
  INVOICE_UPSERT,
  /** Voids an authorised, unpaid invoice; looked up by reading the invoice's status. */
  INVOICE_VOID,
  /** A payment received against an invoice; looked up by its Reference among the invoice's. */
  PAYMENT,
  /** A stand-alone deposit (a RECEIVE bank transaction); looked up by its Reference. */
  DEPOSIT,
  /** Creates or links a contact keyed by ContactNumber; looked up by ContactNumber. */
  CONTACT_UPSERT,
  /**
   * Invoices from before the connection, created in batches of 50 with each invoice's own outcome;
   * after an ambiguous batch its invoices are looked up in one InvoiceNumbers= call.
   */
  INVOICE_HISTORY,
  /** Validates and stores the tenant's accounting set-up against its Accounts. */
  ACCOUNTING_SETTINGS
}
