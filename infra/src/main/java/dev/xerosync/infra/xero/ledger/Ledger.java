package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One Xero organisation's books: contacts, invoices, payments, credits and their allocations. Every
 * mutation runs under the ledger's monitor, stamps UpdatedDateUTC from the simulator clock and
 * reports the change so webhooks follow. No HTTP here: handlers and the scripting API both call in.
 *
 * <p>This class is the books' one door and their lock; the rules live in its parts: {@link
 * Organisation} (settings, lock dates), {@link ChartOfAccounts}, {@link Contacts}, {@link
 * Invoices}, {@link LineRules} and {@link InvoiceArithmetic}, {@link Settlement} (payments,
 * credits, allocations, refunds) and {@link BankTransactions}.
 */
public final class Ledger {
  /** Most a sent Total may differ from the computed one and still be honoured as rounding. */
  public static final BigDecimal MAX_ROUNDING = InvoiceArithmetic.MAX_ROUNDING;

  private final Organisation org;
  private final ChartOfAccounts chart = new ChartOfAccounts();
  private final Contacts contacts;
  private final Payments payments = new Payments();
  private final Invoices invoices;
  private final Settlement settlement;
  private final BankTransactions bankTransactions;

  public Ledger(
      String tenantId, String name, String shortCode, Clock clock, ChangeListener listener) {
    org = new Organisation(tenantId, name, shortCode, clock, listener);
    contacts = new Contacts(org);
    LineRules lineRules = new LineRules(chart);
    invoices = new Invoices(org, contacts, lineRules, this::settled);
    settlement = new Settlement(org, chart, contacts, invoices, payments);
    bankTransactions = new BankTransactions(org, chart, contacts, lineRules, settlement);
  }

  /** Invoices and settlement need each other: invoices ask through here once both are built. */
  private InvoiceView settled(Invoice inv) {
    return settlement.view(inv);
  }

  // ---- organisation ----

  public String tenantId() {
    return org.tenantId;
  }

  public String shortCode() {
    return org.shortCode;
  }

  public String name() {
    return org.name;
  }

  public Instant createdDateUtc() {
    return org.createdDateUtc;
  }

  public ZoneId timezone() {
    return org.timezone();
  }

  public void timezone(ZoneId z) {
    org.timezone(z);
  }

  public String baseCurrency() {
    return org.baseCurrency();
  }

  public synchronized void baseCurrency(String c) {
    org.baseCurrency(c);
  }

  /** The currencies the organisation subscribes to, base currency first. */
  public synchronized List<String> currencies() {
    return org.currencies();
  }

  public synchronized void subscribeCurrency(String code) {
    org.subscribeCurrency(code);
  }

  public synchronized List<TaxRate> taxRates() {
    return chart.taxRates();
  }

  public LocalDate periodLockDate() {
    return org.periodLockDate();
  }

  public LocalDate endOfYearLockDate() {
    return org.endOfYearLockDate();
  }

  /** Lock dates as set in Xero's advanced settings; null clears one. */
  public void lockDates(LocalDate period, LocalDate endOfYear) {
    org.lockDates(period, endOfYear);
  }

  /** Why a document dated {@code date} is locked (empty when it is not). */
  public List<String> checkLockDate(LocalDate date) {
    return org.checkLockDate(date);
  }

  /** Units of currency per one unit of the base currency, for a document that names none. */
  public BigDecimal dayRate(String currency) {
    return org.dayRate(currency);
  }

  public String countryCode() {
    return org.countryCode();
  }

  public void countryCode(String c) {
    org.countryCode(c);
  }

  /** Today in the organisation's timezone: Xero defaults document dates this way. */
  public LocalDate today() {
    return org.today();
  }

  // ---- chart of accounts ----

  public synchronized List<Account> accounts() {
    return chart.accounts();
  }

  public synchronized Optional<Account> accountByCode(String code) {
    return chart.accountByCode(code);
  }

  public synchronized Account accountByCodeOrId(String code, String id) {
    return chart.accountByCodeOrId(code, id);
  }

  public synchronized String defaultBankAccountId() {
    return chart.defaultBankAccountId();
  }

  // ---- contacts ----

  public synchronized Contact contact(String id) {
    return contacts.get(id);
  }

  public synchronized List<Contact> contacts(Predicate<Contact> filter) {
    return contacts.list(filter);
  }

  public synchronized Contact contactByNumber(String number) {
    return contacts.byNumber(number);
  }

  /** The active contact with this name (case-insensitive), or null. */
  public synchronized Contact activeContactByName(String contactName) {
    return contacts.activeByName(contactName);
  }

  /** Why a new contact would be refused (empty when it would be created). */
  public synchronized List<String> checkNewContact(String contactName, String contactNumber) {
    return contacts.checkNew(contactName, contactNumber);
  }

  public synchronized String createContact(String contactName, String email, String clientId) {
    return contacts.create(contactName, email, null, ContactDetails.NONE, clientId);
  }

  public synchronized String createContact(
      String contactName, String email, String contactNumber, String clientId) {
    return contacts.create(contactName, email, contactNumber, ContactDetails.NONE, clientId);
  }

  /** A contact with every other field it was sent kept in {@code details}. */
  public synchronized String createContact(
      String contactName,
      String email,
      String contactNumber,
      ContactDetails details,
      String clientId) {
    return contacts.create(contactName, email, contactNumber, details, clientId);
  }

  /**
   * Why an update would be refused. status is ACTIVE (restore), ARCHIVED or null (unchanged); null
   * fields stay as they are.
   */
  public synchronized List<String> checkContactUpdate(
      String contactId, String newName, String contactNumber, String status) {
    return contacts.checkUpdate(contactId, newName, contactNumber, status);
  }

  public synchronized void updateContact(
      String contactId, String newName, String email, String contactNumber, String status) {
    contacts.update(contactId, newName, email, contactNumber, status, ContactDetails.NONE);
  }

  /** As above, with {@code details} laid over the ones the contact has. */
  public synchronized void updateContact(
      String contactId,
      String newName,
      String email,
      String contactNumber,
      String status,
      ContactDetails details) {
    contacts.update(contactId, newName, email, contactNumber, status, details);
  }

  /**
   * As merging two contacts in Xero: the merged one's transactions move to the kept one, and the
   * merged one is archived with MergedToContactID naming the kept one.
   */
  public synchronized void mergeContacts(String mergedId, String keptId) {
    Contact merged = contacts.require(mergedId);
    contacts.require(keptId);
    Instant now = org.now();
    invoices.moveToContact(mergedId, keptId, now);
    contacts.markMerged(merged, keptId, now);
  }

  public synchronized void archiveContact(String contactId) {
    contacts.archive(contactId);
  }

  /** As "Restore" in Xero's contacts screen; refused while an active contact has its name. */
  public synchronized void restoreContact(String contactId) {
    contacts.restore(contactId);
  }

  // ---- invoices ----

  public synchronized Invoice invoice(String id) {
    return invoices.get(id);
  }

  public synchronized Invoice invoiceByNumber(String number) {
    return invoices.byNumber(number);
  }

  public synchronized List<Invoice> invoices(Predicate<Invoice> filter) {
    return invoices.list(filter);
  }

  public synchronized int invoiceCount() {
    return invoices.count();
  }

  /** The invoice with what is paid, credited and due, or null when there is none. */
  public synchronized InvoiceView view(String invoiceId) {
    Invoice inv = invoices.get(invoiceId);
    return inv == null ? null : settlement.view(inv);
  }

  public synchronized List<InvoiceView> views(List<Invoice> list) {
    return list.stream().map(settlement::view).toList();
  }

  /**
   * Xero's validation messages for a prospective invoice, without creating it (empty when it would
   * succeed).
   */
  public synchronized List<String> validateInvoice(NewInvoice spec) {
    return invoices.validate(spec);
  }

  public synchronized String createInvoice(NewInvoice spec) {
    return invoices.create(spec);
  }

  /** Why a status change would be refused (empty when allowed). */
  public synchronized List<String> checkTransition(String invoiceId, String target) {
    return invoices.checkTransition(invoiceId, target);
  }

  /** Moves an invoice to a user-settable status with Xero's rules (see Invoices.transition). */
  public synchronized void transition(String invoiceId, String target) {
    invoices.transition(invoiceId, target);
  }

  /** Why an edit would be refused (empty when allowed). */
  public synchronized List<String> checkEdit(String invoiceId, InvoiceEdit edit) {
    return invoices.checkEdit(invoiceId, edit);
  }

  /**
   * Edits an invoice's header and lines; Xero refuses edits to paid, voided or deleted invoices.
   */
  public synchronized void updateInvoice(String invoiceId, InvoiceEdit edit) {
    invoices.update(invoiceId, edit);
  }

  // ---- payments ----

  public synchronized Payment payment(String id) {
    return payments.get(id);
  }

  public synchronized List<Payment> payments(Predicate<Payment> filter) {
    return payments.list(filter);
  }

  /** Why a payment would be refused (empty when it would be accepted). */
  public synchronized List<String> checkPayment(
      String invoiceId, String accountId, BigDecimal amount) {
    return settlement.checkPayment(invoiceId, accountId, amount, null);
  }

  /** Why a payment dated {@code date} would be refused (see Settlement.checkPayment). */
  public synchronized List<String> checkPayment(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date) {
    return settlement.checkPayment(invoiceId, accountId, amount, date);
  }

  public synchronized String pay(
      String invoiceId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    return settlement.pay(invoiceId, accountId, amount, date, reference);
  }

  public synchronized void reversePayment(String paymentId) {
    settlement.reversePayment(paymentId);
  }

  // ---- bank transactions ----

  public synchronized BankTransaction bankTransaction(String id) {
    return bankTransactions.get(id);
  }

  public synchronized List<BankTransaction> bankTransactions(Predicate<BankTransaction> filter) {
    return bankTransactions.list(filter);
  }

  /** Why a bank transaction would be refused (empty when it would be saved). */
  public synchronized List<String> checkBankTransaction(BankTransaction.New spec) {
    return bankTransactions.check(spec);
  }

  /**
   * Saves a RECEIVE or SPEND bank transaction; RECEIVE-OVERPAYMENT and RECEIVE-PREPAYMENT also
   * create the overpayment or prepayment for its total, unallocated.
   */
  public synchronized String createBankTransaction(BankTransaction.New spec) {
    return bankTransactions.create(spec);
  }

  public synchronized void deleteBankTransaction(String id) {
    bankTransactions.delete(id);
  }

  // ---- credits ----

  public synchronized Credit credit(String id) {
    return settlement.credit(id);
  }

  public synchronized List<Credit> credits(Predicate<Credit> filter) {
    return settlement.credits(filter);
  }

  public synchronized List<Allocation> allocationsOfCredit(String creditId) {
    return settlement.allocationsOfCredit(creditId);
  }

  public synchronized BigDecimal remainingCredit(String creditId) {
    return settlement.remainingCredit(creditId);
  }

  /** The refunds paid out of a credit (Xero lists them as the credit's Payments), live ones. */
  public synchronized List<Payment> paymentsOfCredit(String creditId) {
    return settlement.paymentsOfCredit(creditId);
  }

  /**
   * Creates an AUTHORISED ACCRECCREDIT (or overpayment/prepayment) for a contact, not yet
   * allocated.
   */
  public synchronized String createCredit(
      Credit.Kind kind, String contactId, BigDecimal amount, LocalDate date, String reference) {
    return settlement.createCredit(kind, contactId, amount, date, reference);
  }

  /** Why an allocation would be refused (empty when allowed). */
  public synchronized List<String> checkAllocation(
      String creditId, String invoiceId, BigDecimal amount) {
    return settlement.checkAllocation(creditId, invoiceId, amount);
  }

  /**
   * Applies credit to an invoice. The allocation's Date is read-only in Xero: it is the later of
   * the invoice's date and the credit's date, whatever the request sent (Xero's Overpayments
   * documentation), so {@code ignoredDate} is accepted and ignored.
   */
  public synchronized String allocate(
      String creditId, String invoiceId, BigDecimal amount, LocalDate ignoredDate) {
    return settlement.allocate(creditId, invoiceId, amount);
  }

  public synchronized Allocation allocation(String creditId, String allocationId) {
    return settlement.allocation(creditId, allocationId);
  }

  /**
   * Deletes an allocation: the credit gets the amount back and the invoice owes it again (a PAID
   * invoice reopens as AUTHORISED). Returns the allocation removed.
   */
  public synchronized Allocation deallocate(String creditId, String allocationId) {
    return settlement.deallocate(creditId, allocationId);
  }

  /** Pays out part of a credit as a cash refund (see Settlement.refundCredit). */
  public synchronized String refundCredit(
      String creditId, String accountId, BigDecimal amount, LocalDate date, String reference) {
    return settlement.refundCredit(creditId, accountId, amount, date, reference);
  }

  /** Why a refund of a credit would be refused (empty when it would be paid), as for payments. */
  public synchronized List<String> checkRefund(
      String creditId, String accountId, BigDecimal amount, LocalDate date) {
    return settlement.checkRefund(creditId, accountId, amount, date);
  }

  /**
   * Bulk load of pre-built, mutually consistent records (a generated history): no validation and no
   * webhooks, so large organisations start in seconds. Callers guarantee statuses agree with
   * payments.
   */
  public synchronized void load(
      List<Contact> newContacts, List<Invoice> newInvoices, List<Payment> newPayments) {
    contacts.load(newContacts);
    invoices.load(newInvoices);
    payments.load(newPayments);
  }
}
