package dev.xerosync.xero;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A contact as the sync reads it: who it is, whether it is a customer, and whether it is archived.
 */
public record XeroContact(
    @Nullable String contactId,
    @Nullable String name,
    @Nullable String status,
    boolean isCustomer,
    boolean isSupplier,
    @Nullable String email,
    @Nullable Instant updatedDateUtc) {

  public static XeroContact fromJson(JsonNode n) {
    return new XeroContact(
        XeroInvoice.id(n, "ContactID"),
        XeroInvoice.text(n, "Name"),
        XeroInvoice.text(n, "ContactStatus"),
        n.path("IsCustomer").asBoolean(false),
        n.path("IsSupplier").asBoolean(false),
        XeroInvoice.text(n, "EmailAddress"),
        XeroDates.instant(XeroInvoice.text(n, "UpdatedDateUTC")));
  }
}
