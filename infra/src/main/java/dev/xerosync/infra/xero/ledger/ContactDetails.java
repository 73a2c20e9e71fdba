package dev.xerosync.infra.xero.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Xero keeps of a contact beyond the fields the ledger reasons about (name, number, email,
 * status): every other field it was sent (FirstName, LastName, PaymentTerms, TaxNumber, ...), as
 * plain values (String, Number, Boolean, List, Map). Addresses and Phones are kept per AddressType
 * and PhoneType: a sent one replaces that type's, the others stay (Xero's Contacts docs: "Addresses
 * ... two types", "Phones ... four types"; an update changes the types it names).
 */
public record ContactDetails(
    Map<String, Object> fields,
    Map<String, Map<String, Object>> addresses,
    Map<String, Map<String, Object>> phones) {
  public static final ContactDetails NONE = new ContactDetails(Map.of(), Map.of(), Map.of());

  public ContactDetails {
    fields = Map.copyOf(fields);
    addresses = Map.copyOf(addresses);
    phones = Map.copyOf(phones);
  }

  /** These details with {@code sent}'s laid over them, as an update leaves a contact. */
  public ContactDetails merge(ContactDetails sent) {
    Map<String, Object> f = new LinkedHashMap<>(fields);
    f.putAll(sent.fields);
    Map<String, Map<String, Object>> a = new LinkedHashMap<>(addresses);
    a.putAll(sent.addresses);
    Map<String, Map<String, Object>> p = new LinkedHashMap<>(phones);
    p.putAll(sent.phones);
    return new ContactDetails(f, a, p);
  }
}
