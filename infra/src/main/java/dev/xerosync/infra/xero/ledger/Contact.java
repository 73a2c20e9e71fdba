package dev.xerosync.infra.xero.ledger;

import java.time.Instant;

/**
 * A contact as the ledger holds it. IsCustomer/IsSupplier are set by Xero itself once a sale or
 * bill uses the contact. ContactNumber is the external system's key (at most 50 characters,
 * unique); MergedToContactID names the contact this one was merged into (it is then ARCHIVED).
 * {@code details} holds every other field Xero was sent for it.
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
    String createdByClientId,
    String contactNumber,
    String mergedToContactId,
    ContactDetails details) {
  public static final String ACTIVE = "ACTIVE";
  public static final String ARCHIVED = "ARCHIVED";
  public static final int MAX_CONTACT_NUMBER = 50;

  public Contact(
      String contactId,
      String name,
      String emailAddress,
      String status,
      boolean isCustomer,
      boolean isSupplier,
      Instant createdDateUtc,
      Instant updatedDateUtc,
      String createdByClientId) {
    this(
        contactId,
        name,
        emailAddress,
        status,
        isCustomer,
        isSupplier,
        createdDateUtc,
        updatedDateUtc,
        createdByClientId,
        null,
        null,
        ContactDetails.NONE);
  }

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
        createdByClientId,
        contactNumber,
        ACTIVE.equals(s) ? null : mergedToContactId,
        details);
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
        createdByClientId,
        contactNumber,
        mergedToContactId,
        details);
  }

  Contact edited(String n, String email, String number, ContactDetails sent, Instant at) {
    return new Contact(
        contactId,
        n == null ? name : n,
        email == null ? emailAddress : email,
        status,
        isCustomer,
        isSupplier,
        createdDateUtc,
        at,
        createdByClientId,
        number == null ? contactNumber : number,
        mergedToContactId,
        details.merge(sent));
  }

  Contact mergedInto(String into, Instant at) {
    return new Contact(
        contactId,
        name,
        emailAddress,
        ARCHIVED,
        isCustomer,
        isSupplier,
        createdDateUtc,
        at,
        createdByClientId,
        contactNumber,
        into,
        details);
  }
}
