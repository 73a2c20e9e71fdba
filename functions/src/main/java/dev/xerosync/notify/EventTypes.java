package dev.xerosync.notify;

import java.util.List;

/** The business event types, as consumers subscribe to them. */
public final class EventTypes {
  public static final String INVOICE_CREATED = "invoice.created";
  public static final String INVOICE_UPDATED = "invoice.updated";
  public static final String INVOICE_AUTHORISED = "invoice.authorised";
  public static final String INVOICE_VOIDED = "invoice.voided";
  public static final String INVOICE_DELETED = "invoice.deleted";
  public static final String INVOICE_PAID = "invoice.paid";
  public static final String INVOICE_PART_PAID = "invoice.part_paid";
  public static final String INVOICE_PAYMENT_REMOVED = "invoice.payment_removed";
  public static final String INVOICE_OVERDUE = "invoice.overdue";
  public static final String INVOICE_DUE_SOON = "invoice.due_soon";
  public static final String CREDIT_ALLOCATED = "credit.allocated";
  public static final String CREDIT_UNALLOCATED = "credit.unallocated";
  public static final String CREDIT_REFUNDED = "credit.refunded";
  public static final String CONTACT_ARCHIVED = "contact.archived";
  public static final String CONTACT_MERGED = "contact.merged";

  /** Every business type; the connection, sync and write notifications share the channel too. */
  public static final List<String> BUSINESS =
      List.of(
          INVOICE_CREATED,
          INVOICE_UPDATED,
          INVOICE_AUTHORISED,
          INVOICE_VOIDED,
          INVOICE_DELETED,
          INVOICE_PAID,
          INVOICE_PART_PAID,
          INVOICE_PAYMENT_REMOVED,
          INVOICE_OVERDUE,
          INVOICE_DUE_SOON,
          CREDIT_ALLOCATED,
          CREDIT_UNALLOCATED,
          CREDIT_REFUNDED,
          CONTACT_ARCHIVED,
          CONTACT_MERGED);

  private EventTypes() {}
}
