package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A contact as the sync reads it: who it is, whether it is a customer, whether it is archived, and
 * the contact it was merged into (Xero archives the merged one and names the survivor in {@code
 * MergedToContactID}).
 */
public record XeroContact(
    @Nullable String contactId,
    @Nullable String name,
    @Nullable String status,
    boolean isCustomer,
    boolean isSupplier,
    @Nullable String email,
    @Nullable Instant updatedDateUtc,
    @Nullable String mergedToContactId) {

  public XeroContact(
      @Nullable String contactId,
      @Nullable String name,
      @Nullable String status,
      boolean isCustomer,
      boolean isSupplier,
      @Nullable String email,
      @Nullable Instant updatedDateUtc) {
    this(contactId, name, status, isCustomer, isSupplier, email, updatedDateUtc, null);
  }

  public static XeroContact fromJson(JsonNode n) {
    return new XeroContact(
        XeroInvoice.id(n, "ContactID"),
        XeroInvoice.text(n, "Name"),
        XeroInvoice.text(n, "ContactStatus"),
        n.path("IsCustomer").asBoolean(false),
        n.path("IsSupplier").asBoolean(false),
        XeroInvoice.text(n, "EmailAddress"),
        XeroDates.instant(XeroInvoice.text(n, "UpdatedDateUTC")),
        merged(XeroInvoice.text(n, "MergedToContactID")));
  }

  /** Xero sends the empty GUID on a contact never merged. */
  private static @Nullable String merged(@Nullable String id) {
    return id == null || id.isEmpty() || id.startsWith("00000000-0000") ? null : id;
  }
}
