package dev.xerosync.infra.xero.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The organisation's contacts and Xero's rules for them: names unique among active contacts,
 * ContactNumber unique and at most 50 characters. Guarded by the ledger's monitor.
 */
final class Contacts {
  private final Organisation org;
  private final Map<String, Contact> contacts = new LinkedHashMap<>();

  Contacts(Organisation org) {
    this.org = org;
  }

  Contact get(String id) {
    return contacts.get(id);
  }

  List<Contact> list(Predicate<Contact> filter) {
    return contacts.values().stream().filter(filter).toList();
  }

  Contact require(String id) {
    Contact c = contacts.get(id);
    if (c == null) {
      throw new LedgerException(XeroMessages.contactNotFound(id));
    }
    return c;
  }

  /** Why a new contact would be refused (empty when it would be created). */
  List<String> checkNew(String contactName, String contactNumber) {
    List<String> errors = new ArrayList<>();
    if (contactName == null || contactName.isBlank()) {
      errors.add(XeroMessages.CONTACT_NAME_REQUIRED);
    } else if (activeNameTaken(contactName, null)) {
      errors.add(XeroMessages.contactNameTaken(contactName.trim()));
    }
    errors.addAll(checkContactNumber(contactNumber, null));
    return errors;
  }

  private boolean activeNameTaken(String contactName, String exceptId) {
    // Archived contacts keep their names without blocking them (Xero: "unique across all active
    // contacts").
    return contacts.values().stream()
        .anyMatch(
            c ->
                Contact.ACTIVE.equals(c.status())
                    && !c.contactId().equals(exceptId)
                    && c.name().equalsIgnoreCase(contactName.trim()));
  }

  private List<String> checkContactNumber(String number, String exceptId) {
    if (number == null || number.isEmpty()) {
      return List.of();
    }
    if (number.length() > Contact.MAX_CONTACT_NUMBER) {
      return List.of(XeroMessages.CONTACT_NUMBER_TOO_LONG);
    }
    boolean taken =
        contacts.values().stream()
            .anyMatch(c -> number.equals(c.contactNumber()) && !c.contactId().equals(exceptId));
    return taken ? List.of(XeroMessages.CONTACT_NUMBER_TAKEN) : List.of();
  }

  String create(
      String contactName,
      String email,
      String contactNumber,
      ContactDetails details,
      String clientId) {
    List<String> errors = checkNew(contactName, contactNumber);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Instant now = org.now();
    String id = UUID.randomUUID().toString();
    contacts.put(
        id,
        new Contact(
            id,
            contactName.trim(),
            email,
            Contact.ACTIVE,
            false,
            false,
            now,
            now,
            clientId,
            contactNumber == null || contactNumber.isEmpty() ? null : contactNumber,
            null,
            details));
    org.changed("CONTACT", "CREATE", id, now);
    return id;
  }

  Contact byNumber(String number) {
    return contacts.values().stream()
        .filter(c -> number.equals(c.contactNumber()))
        .findFirst()
        .orElse(null);
  }

  /** The active contact with this name (case-insensitive), or null. */
  Contact activeByName(String contactName) {
    return contacts.values().stream()
        .filter(
            c -> Contact.ACTIVE.equals(c.status()) && c.name().equalsIgnoreCase(contactName.trim()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Why an update would be refused. status is ACTIVE (restore), ARCHIVED or null (unchanged); null
   * fields stay as they are.
   */
  List<String> checkUpdate(String contactId, String newName, String contactNumber, String status) {
    Contact c = contacts.get(contactId);
    if (c == null) {
      return List.of(XeroMessages.contactNotFound(contactId));
    }
    List<String> errors = new ArrayList<>();
    String name = newName == null ? c.name() : newName;
    boolean willBeActive =
        status == null
            ? Contact.ACTIVE.equals(c.status())
            : Contact.ACTIVE.equalsIgnoreCase(status);
    if (newName != null && newName.isBlank()) {
      errors.add(XeroMessages.CONTACT_NAME_REQUIRED);
    } else if (willBeActive && activeNameTaken(name, contactId)) {
      errors.add(XeroMessages.contactNameTaken(name.trim()));
    }
    errors.addAll(checkContactNumber(contactNumber, contactId));
    return errors;
  }

  void update(
      String contactId,
      String newName,
      String email,
      String contactNumber,
      String status,
      ContactDetails details) {
    List<String> errors = checkUpdate(contactId, newName, contactNumber, status);
    if (!errors.isEmpty()) {
      throw new LedgerException(errors);
    }
    Instant now = org.now();
    Contact c =
        contacts
            .get(contactId)
            .edited(newName == null ? null : newName.trim(), email, contactNumber, details, now);
    if (status != null && !status.equalsIgnoreCase(c.status())) {
      c = c.withStatus(status.toUpperCase(Locale.ROOT), now);
    }
    contacts.put(contactId, c);
    org.changed("CONTACT", "UPDATE", contactId, now);
  }

  /** Archives the merged contact with MergedToContactID naming the kept one. */
  void markMerged(Contact merged, String keptId, Instant now) {
    contacts.put(merged.contactId(), merged.mergedInto(keptId, now));
    org.changed("CONTACT", "UPDATE", merged.contactId(), now);
  }

  void archive(String contactId) {
    Contact c = require(contactId);
    Instant now = org.now();
    contacts.put(contactId, c.withStatus(Contact.ARCHIVED, now));
    org.changed("CONTACT", "UPDATE", contactId, now);
  }

  /** As "Restore" in Xero's contacts screen; refused while an active contact has its name. */
  void restore(String contactId) {
    Contact c = require(contactId);
    if (Contact.ACTIVE.equals(c.status())) {
      return;
    }
    boolean taken =
        contacts.values().stream()
            .anyMatch(
                o -> Contact.ACTIVE.equals(o.status()) && o.name().equalsIgnoreCase(c.name()));
    if (taken) {
      throw new LedgerException(XeroMessages.contactNameTaken(c.name()));
    }
    Instant now = org.now();
    contacts.put(contactId, c.withStatus(Contact.ACTIVE, now));
    org.changed("CONTACT", "UPDATE", contactId, now);
  }

  /**
   * A contact becomes a customer with its first ACCREC invoice, a supplier with its first ACCPAY.
   */
  void markRole(Contact c, String invoiceType, Instant now) {
    boolean customer = c.isCustomer() || "ACCREC".equals(invoiceType);
    boolean supplier = c.isSupplier() || "ACCPAY".equals(invoiceType);
    if (customer != c.isCustomer() || supplier != c.isSupplier()) {
      contacts.put(c.contactId(), c.withRoles(customer, supplier, now));
    }
  }

  /** Bulk load without validation or webhooks (see Ledger.load). */
  void load(List<Contact> newContacts) {
    for (Contact c : newContacts) {
      contacts.put(c.contactId(), c);
    }
  }
}
