package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.ContactDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A contact's other fields between Xero's JSON and the ledger: every field a write sends is kept
 * (Xero keeps FirstName, LastName, Addresses, Phones, PaymentTerms and the rest), and a read
 * returns them in the shapes of the spec's examples (xero_accounting.yaml, the Contact inside the
 * PUT BankTransactions 200 example): both AddressTypes, STREET then POBOX, and all four PhoneTypes,
 * DEFAULT, DDI, FAX, MOBILE, with "" for what was never set.
 */
final class ContactDetailsJson {
  /** Fields the ledger models itself, or that only Xero sets. */
  private static final Set<String> MODELLED =
      Set.of(
          "ContactID",
          "ContactNumber",
          "Name",
          "EmailAddress",
          "ContactStatus",
          "MergedToContactID",
          "IsCustomer",
          "IsSupplier",
          "UpdatedDateUTC",
          "HasAttachments",
          "HasValidationErrors",
          "ValidationErrors",
          "StatusAttributeString",
          "Addresses",
          "Phones");

  static final List<String> ADDRESS_TYPES = List.of("STREET", "POBOX");
  static final List<String> PHONE_TYPES = List.of("DEFAULT", "DDI", "FAX", "MOBILE");
  private static final List<String> ADDRESS_LINES =
      List.of("AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4");
  private static final List<String> PLACE = List.of("City", "Region", "PostalCode", "Country");
  private static final List<String> PHONE_PARTS =
      List.of("PhoneNumber", "PhoneAreaCode", "PhoneCountryCode");

  private ContactDetailsJson() {}

  /** The details a written element carries; an address or phone of an unknown type is dropped. */
  static ContactDetails read(JsonNode el) {
    Map<String, Object> fields = new LinkedHashMap<>();
    el.fields()
        .forEachRemaining(
            f -> {
              if (!MODELLED.contains(f.getKey()) && !f.getValue().isNull()) {
                fields.put(f.getKey(), XeroJson.MAPPER.convertValue(f.getValue(), Object.class));
              }
            });
    return new ContactDetails(
        fields,
        byType(el.path("Addresses"), "AddressType", ADDRESS_TYPES),
        byType(el.path("Phones"), "PhoneType", PHONE_TYPES));
  }

  private static Map<String, Map<String, Object>> byType(
      JsonNode list, String typeField, List<String> types) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (JsonNode item : list) {
      String type = item.path(typeField).asText("").toUpperCase(Locale.ROOT);
      if (!types.contains(type)) {
        continue;
      }
      Map<String, Object> kept = new LinkedHashMap<>();
      item.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals(typeField) && !f.getValue().isNull()) {
                  kept.put(f.getKey(), XeroJson.MAPPER.convertValue(f.getValue(), Object.class));
                }
              });
      out.put(type, kept);
    }
    return out;
  }

  /** Adds the kept fields, then Addresses and Phones in the spec example's shape. */
  static void write(ObjectNode n, ContactDetails d) {
    d.fields().forEach((k, v) -> n.set(k, XeroJson.MAPPER.valueToTree(v)));
    ArrayNode addresses = n.putArray("Addresses");
    for (String type : ADDRESS_TYPES) {
      Map<String, Object> a = d.addresses().get(type);
      ObjectNode out = addresses.addObject().put("AddressType", type);
      if (a != null) {
        ADDRESS_LINES.forEach(k -> out.put(k, String.valueOf(a.getOrDefault(k, ""))));
      }
      PLACE.forEach(k -> out.put(k, a == null ? "" : String.valueOf(a.getOrDefault(k, ""))));
      if (a != null) {
        a.forEach((k, v) -> out.set(k, XeroJson.MAPPER.valueToTree(v)));
      }
    }
    ArrayNode phones = n.putArray("Phones");
    for (String type : PHONE_TYPES) {
      Map<String, Object> p = d.phones().getOrDefault(type, Map.of());
      ObjectNode out = phones.addObject().put("PhoneType", type);
      PHONE_PARTS.forEach(k -> out.put(k, String.valueOf(p.getOrDefault(k, ""))));
    }
  }
}
