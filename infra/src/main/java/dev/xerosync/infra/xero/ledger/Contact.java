package dev.xerosync.infra.xero.ledger;

import java.time.Instant;

/**
 * A contact as the ledger holds it. IsCustomer/IsSupplier are set by Xero itself once a sale or
 * bill uses the contact.
 */
public record Contact(
    String contactId,
    String name,
    String emailAddress,
    String status,
    boolean isCustomer,
    boolean isSupplier,
    Instant createdDateUtc,
    Instant updatedDateUtc,
    String createdByClientId) {
  public static final String ACTIVE = "ACTIVE";
  public static final String ARCHIVED = "ARCHIVED";

  Contact withStatus(String s, Instant at) {
    return new Contact(
        contactId,
        name,
        emailAddress,
        s,
        isCustomer,
        isSupplier,
        createdDateUtc,
        at,
        createdByClientId);
  }

  Contact withRoles(boolean customer, boolean supplier, Instant at) {
    return new Contact(
        contactId,
        name,
        emailAddress,
        status,
        customer,
        supplier,
        createdDateUtc,
        at,
        createdByClientId);
  }
}
