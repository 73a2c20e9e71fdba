package dev.xerosync.infra.xero;

import dev.xerosync.infra.xero.ledger.Contact;
import dev.xerosync.infra.xero.ledger.Credit;
import dev.xerosync.infra.xero.ledger.Invoice;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ledger.NewInvoice;
import dev.xerosync.infra.xero.ledger.Payment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Scripting an organisation's life, as its users would in Xero's web app. Every change goes through
 * the same ledger the API uses, so it bumps UpdatedDateUTC and raises the same webhooks.
 * Business-rule violations throw {@link dev.xerosync.infra.xero.ledger.LedgerException} with Xero's
 * message.
 */
public final class SimOrganisation {
  private final Ledger ledger;

  SimOrganisation(Ledger ledger) {
    this.ledger = ledger;
  }

  Ledger ledger() {
    return ledger;
  }

  public String tenantId() {
    return ledger.tenantId();
  }

  public String shortCode() {
    return ledger.shortCode();
  }

  public String name() {
    return ledger.name();
  }

  public ZoneId timezone() {
    return ledger.timezone();
  }

  public void timezone(ZoneId z) {
    WindowsTimeZones.name(z);
    ledger.timezone(z);
  }

  public String baseCurrency() {
    return ledger.baseCurrency();
  }

  public void baseCurrency(String currencyCode) {
    ledger.baseCurrency(currencyCode);
  }

  /** Adds a currency to those the organisation subscribes to (Settings, Currencies). */
  public void subscribeCurrency(String code) {
    ledger.subscribeCurrency(code);
  }

  public List<String> currencies() {
    return ledger.currencies();
  }

  /** Sets the period and end-of-year lock dates (null clears one). */
  public void lockDates(LocalDate period, LocalDate endOfYear) {
    ledger.lockDates(period, endOfYear);
  }

  public List<dev.xerosync.infra.xero.ledger.Account> accounts() {
    return ledger.accounts();
  }

  /** The active account with this code (e.g. "090" bank, "615" Undeposited Funds). */
  public dev.xerosync.infra.xero.ledger.Account account(String code) {
    return ledger.accountByCode(code).orElseThrow();
  }

  public List<dev.xerosync.infra.xero.ledger.TaxRate> taxRates() {
    return ledger.taxRates();
  }

  public String createContact(String name) {
    return ledger.createContact(name, null, null);
  }

  /** A contact with the external system's key, as an app would create it. */
  public String createContact(String name, String contactNumber) {
    return ledger.createContact(name, null, contactNumber, null);
  }

  /**
   * As merging in Xero's contacts screen: {@code mergedId}'s transactions move to {@code keptId},
   * and it is archived with MergedToContactID = keptId.
   */
  public void mergeContacts(String mergedId, String keptId) {
    ledger.mergeContacts(mergedId, keptId);
  }

  /**
   * As editing a contact in Xero's screen: a non-null name or email replaces the contact's, and
   * {@code details} is laid over its other fields.
   */
  public void editContact(
      String contactId,
      String name,
      String email,
      dev.xerosync.infra.xero.ledger.ContactDetails details) {
    ledger.updateContact(contactId, name, email, null, null, details);
  }

  public void archiveContact(String contactId) {
    ledger.archiveContact(contactId);
  }

  public void restoreContact(String contactId) {
    ledger.restoreContact(contactId);
  }

  /** A DRAFT ACCREC invoice with one tax-free line for the whole amount. */
  public String createDraftInvoice(
      String contactId,
      String invoiceNumber,
      LocalDate date,
      LocalDate dueDate,
      BigDecimal total,
      String currency) {
    return ledger.createInvoice(
        new NewInvoice(
            "ACCREC",
            contactId,
            invoiceNumber,
            null,
            date,
            dueDate,
            "Exclusive",
            List.of(new NewInvoice.Line("Services", BigDecimal.ONE, total, "200", "NONE")),
            currency,
            Invoice.DRAFT,
            null));
  }

  /** An AUTHORISED ACCREC invoice numbered INV-0001, INV-0002 ... */
  public String createAuthorisedInvoice(
      String contactId, LocalDate date, LocalDate dueDate, BigDecimal total) {
    return createAuthorisedInvoice(contactId, null, null, date, dueDate, total);
  }

  /** An AUTHORISED ACCREC invoice with the number (null: the next INV-) and reference given. */
  public String createAuthorisedInvoice(
      String contactId,
      String invoiceNumber,
      String reference,
      LocalDate date,
      LocalDate dueDate,
      BigDecimal total) {
    return ledger.createInvoice(
        new NewInvoice(
            "ACCREC",
            contactId,
            invoiceNumber,
            reference,
            date,
            dueDate,
            "Exclusive",
            List.of(new NewInvoice.Line("Services", BigDecimal.ONE, total, "200", "NONE")),
            null,
            Invoice.AUTHORISED,
            null));
  }

  /**
   * As editing an invoice in Xero's screen: the edit's non-null fields replace the invoice's; Xero
   * refuses edits to paid, voided or deleted invoices.
   */
  public void editInvoice(String invoiceId, dev.xerosync.infra.xero.ledger.InvoiceEdit edit) {
    ledger.updateInvoice(invoiceId, edit);
  }

  public void submit(String invoiceId) {
    ledger.transition(invoiceId, Invoice.SUBMITTED);
  }

  public void authorise(String invoiceId) {
    ledger.transition(invoiceId, Invoice.AUTHORISED);
  }

  public void voidInvoice(String invoiceId) {
    ledger.transition(invoiceId, Invoice.VOIDED);
  }

  public void delete(String invoiceId) {
    ledger.transition(invoiceId, Invoice.DELETED);
  }

  /** A payment into the organisation's main bank account. */
  public String pay(String invoiceId, BigDecimal amount, LocalDate date, String reference) {
    return ledger.pay(invoiceId, ledger.defaultBankAccountId(), amount, date, reference);
  }

  public void reversePayment(String paymentId) {
    ledger.reversePayment(paymentId);
  }

  /** An AUTHORISED ACCRECCREDIT for the invoice's contact, allocated in full to the invoice. */
  public String creditNote(String invoiceId, BigDecimal amount, LocalDate date) {
    Invoice inv = ledger.invoice(invoiceId);
    if (inv == null) {
      throw new dev.xerosync.infra.xero.ledger.LedgerException(
          "Invoice with InvoiceID " + invoiceId + " could not be found.");
    }
    String id = ledger.createCredit(Credit.Kind.CREDITNOTE, inv.contactId(), amount, date, "");
    ledger.allocate(id, invoiceId, amount, date);
    return id;
  }

  /**
   * A customer overpayment (money received beyond what was owed), unallocated until {@link
   * #allocate}.
   */
  public String overpayment(String contactId, BigDecimal amount, LocalDate date) {
    return ledger.createCredit(Credit.Kind.OVERPAYMENT, contactId, amount, date, "");
  }

  /** A customer prepayment, unallocated until {@link #allocate}. */
  public String prepayment(String contactId, BigDecimal amount, LocalDate date) {
    return ledger.createCredit(Credit.Kind.PREPAYMENT, contactId, amount, date, "");
  }

  /**
   * An AUTHORISED ACCRECCREDIT for a contact, unallocated until {@link #allocate} (or refunded by
   * {@link #refundCredit}).
   */
  public String creditNoteFor(String contactId, BigDecimal amount, LocalDate date) {
    return creditNoteFor(contactId, amount, date, "");
  }

  /** The same, with its Reference. */
  public String creditNoteFor(
      String contactId, BigDecimal amount, LocalDate date, String reference) {
    return ledger.createCredit(Credit.Kind.CREDITNOTE, contactId, amount, date, reference);
  }

  /** Deletes an allocation, as DELETE .../Allocations/{AllocationID} does. */
  public void deallocate(String creditId, String allocationId) {
    ledger.deallocate(creditId, allocationId);
  }

  public List<dev.xerosync.infra.xero.ledger.Allocation> allocations(String creditId) {
    return ledger.allocationsOfCredit(creditId);
  }

  public BigDecimal remainingCredit(String creditId) {
    return ledger.remainingCredit(creditId);
  }

  /** Pays part of a credit back to the customer from the main bank account. */
  public String refundCredit(String creditId, BigDecimal amount, LocalDate date) {
    return ledger.refundCredit(creditId, ledger.defaultBankAccountId(), amount, date, "refund");
  }

  /** Applies part of a credit note, overpayment or prepayment to an invoice. */
  public String allocate(String creditId, String invoiceId, BigDecimal amount, LocalDate date) {
    return ledger.allocate(creditId, invoiceId, amount, date);
  }

  /**
   * Fills the organisation with a generated, reproducible history (same seed, same books): {@code
   * contacts} contacts and {@code invoices} sales invoices numbered GEN-000001..., in all statuses,
   * most paid. No webhooks.
   */
  public void generateHistory(long seed, int contacts, int invoices, java.time.Instant now) {
    new dev.xerosync.infra.xero.scenario.BookGenerator(seed, now)
        .generate(ledger, contacts, invoices, "GEN-");
  }

  // ---- the truth, for assertions ----

  public InvoiceView invoice(String invoiceId) {
    return ledger.view(invoiceId);
  }

  public List<InvoiceView> invoices() {
    return ledger.views(ledger.invoices(i -> true));
  }

  public List<Payment> payments() {
    return ledger.payments(p -> true);
  }

  public List<Contact> contacts() {
    return ledger.contacts(c -> true);
  }

  public List<dev.xerosync.infra.xero.ledger.BankTransaction> bankTransactions() {
    return ledger.bankTransactions(b -> true);
  }

  public List<Credit> credits() {
    return ledger.credits(c -> true);
  }

  public Contact contact(String contactId) {
    return ledger.contact(contactId);
  }

  public Credit credit(String creditId) {
    return ledger.credit(creditId);
  }
}
