package dev.xerosync.store;

import dev.xerosync.common.Sha256;
import dev.xerosync.xero.XeroInvoice;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a listing asks for: a view, optional filters, and the organisation's today. {@link #index()}
 * picks the index whose key condition does most of the work, so filters drop few items: an invoice
 * number search reads ByNumber, an invoice date range or the ALL view reads ByContactDate, and a
 * bucket view reads its own ByContactView partition.
 *
 * @param type ACCREC or ACCPAY, or null for both
 * @param statuses Xero statuses to keep, empty for any
 * @param number invoice number or prefix (matched case-insensitively), or null
 * @param creditNotes whether the contact's credit notes are listed with its invoices
 */
public record ViewQuery(
    InvoiceView view,
    Set<String> statuses,
    @Nullable String type,
    @Nullable String currency,
    @Nullable LocalDate from,
    @Nullable LocalDate to,
    @Nullable String number,
    boolean exactNumber,
    LocalDate today,
    int limit,
    CreditNotes creditNotes) {

  public ViewQuery {
    statuses = Set.copyOf(statuses);
    number = number == null ? null : number.toUpperCase(Locale.ROOT);
  }

  /**
   * Whether a listing reads a contact's credit notes: each is a partition of its own (as are its
   * invoices), merged on the same sort key, so every filter, order and cursor spans both kinds.
   */
  public enum CreditNotes {
    /** Invoices only: what a listing has always been. */
    EXCLUDE,
    INCLUDE,
    /** Credit notes only. */
    ONLY;

    public boolean invoices() {
      return this != ONLY;
    }

    public boolean creditNotes() {
      return this != EXCLUDE;
    }
  }

  /** A cursor names a contact's invoice partition by its id, its credit notes' by this. */
  public static String creditNotesSource(String contactId) {
    return "CN:" + contactId;
  }

  /**
   * The partition a cursor's source name stands for in this tenant, or null when the name is none
   * of this listing's; {@code contact} says which contact ids it may name.
   */
  public @Nullable String sourcePartition(
      String tenantId, String name, java.util.function.Predicate<String> contact) {
    boolean credit = name.startsWith("CN:");
    String contactId = credit ? name.substring(3) : name;
    if (!contact.test(contactId)
        || (credit ? !creditNotes.creditNotes() : !creditNotes.invoices())) {
      return null;
    }
    return credit ? creditPartition(tenantId, contactId) : partition(tenantId, contactId);
  }

  /** The table pk every item of a source starts with: an invoice's or a credit's. */
  public static String sourceItemPkPrefix(String tenantId, String name) {
    return name.startsWith("CN:") ? Keys.creditPk(tenantId, "") : Keys.invoicePk(tenantId, "");
  }

  /**
   * A GSI as a listing reads it: its name, key attributes and the direction "most recent first"
   * means.
   */
  public enum Index {
    BY_DATE(Keys.BY_CONTACT_DATE, "gsi1pk", "gsi1sk", false),
    BY_VIEW(Keys.BY_CONTACT_VIEW, "gsi2pk", "gsi2sk", false),
    BY_NUMBER(Keys.BY_NUMBER, "gsi3pk", "gsi3sk", true);

    public final String indexName;
    public final String partitionAttribute;
    public final String sortAttribute;
    public final boolean ascending;

    Index(String indexName, String partitionAttribute, String sortAttribute, boolean ascending) {
      this.indexName = indexName;
      this.partitionAttribute = partitionAttribute;
      this.sortAttribute = sortAttribute;
      this.ascending = ascending;
    }
  }

  public Index index() {
    if (number != null) {
      return Index.BY_NUMBER;
    }
    if (view.isBucketView() && from == null && to == null) {
      return Index.BY_VIEW;
    }
    return Index.BY_DATE;
  }

  /** The partition of one contact's invoices that this query reads. */
  public String partition(String tenantId, String contactId) {
    return switch (index()) {
      case BY_DATE -> Keys.contactPk(tenantId, contactId);
      case BY_VIEW -> Keys.contactViewPk(tenantId, contactId, view.buckets().iterator().next());
      case BY_NUMBER -> Keys.contactNumberPk(tenantId, contactId);
    };
  }

  /** The partition of one contact's credit notes that this query reads. */
  public String creditPartition(String tenantId, String contactId) {
    return switch (index()) {
      case BY_DATE -> Keys.creditNotesPk(tenantId, contactId);
      case BY_VIEW -> Keys.creditNoteViewPk(tenantId, contactId, view.buckets().iterator().next());
      case BY_NUMBER -> Keys.creditNoteNumberPk(tenantId, contactId);
    };
  }

  /**
   * Whether a sort key value lies inside this query's key condition. DynamoDB refuses an
   * ExclusiveStartKey outside it, and an open view's lower bound (today) moves at midnight under a
   * cursor that was inside it the day before.
   */
  public boolean withinKeyCondition(String sortKey) {
    return switch (index()) {
      case BY_VIEW ->
          view != InvoiceView.OPEN && view != InvoiceView.OVERDUE
              || (view == InvoiceView.OPEN) == (sortKey.compareTo(today.toString()) >= 0);
      case BY_DATE ->
          (from == null || sortKey.compareTo(from.toString()) >= 0)
              && (to == null || sortKey.compareTo(to + "#~") <= 0);
      case BY_NUMBER -> sortKey.startsWith(exactNumber ? number + "#" : number);
    };
  }

  /**
   * Names the listing (index and every parameter but the page size), so a cursor continues only the
   * listing that made it.
   */
  public String listing() {
    String params =
        String.join(
            "|",
            view.name(),
            String.join(",", new java.util.TreeSet<>(statuses)),
            String.valueOf(type),
            String.valueOf(currency),
            String.valueOf(from),
            String.valueOf(to),
            String.valueOf(number),
            String.valueOf(exactNumber));
    // Invoice-only listings keep the names their cursors had before credit notes were listed.
    if (creditNotes != CreditNotes.EXCLUDE) {
      params += "|" + creditNotes.name();
    }
    return index().indexName + ":" + Sha256.hex(params).substring(0, 12);
  }

  /**
   * The same rule as the DynamoDB key condition and filter, in Java: used for pinned invoices and
   * in tests.
   */
  public boolean matches(XeroInvoice inv) {
    // On ALL, a status filter replaces the default of hiding drafts and voided invoices.
    boolean statusesDecide = view == InvoiceView.ALL && !statuses.isEmpty();
    if (!statusesDecide && !view.includes(inv, today)) {
      return false;
    }
    if (!statuses.isEmpty() && !statuses.contains(inv.status())) {
      return false;
    }
    if (type != null && !type.equals(inv.type())) {
      return false;
    }
    if (currency != null && !currency.equals(inv.currencyCode())) {
      return false;
    }
    if (from != null && (inv.date() == null || inv.date().isBefore(from))) {
      return false;
    }
    if (to != null && (inv.date() == null || inv.date().isAfter(to))) {
      return false;
    }
    if (number != null) {
      String n = inv.invoiceNumber() == null ? "" : inv.invoiceNumber().toUpperCase(Locale.ROOT);
      return exactNumber ? n.equals(number) : n.startsWith(number);
    }
    return true;
  }
}
