package dev.xerosync.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The contact fields we own, between our write API and Xero: {@code name} (Name), {@code
 * firstName}, {@code lastName}, {@code email} (EmailAddress), {@code phone} (the DEFAULT phone's
 * PhoneNumber) and {@code billingAddress} (the POBOX address), with our customer id as
 * ContactNumber. A write sends only the owned fields it carries; everything else in Xero is left as
 * it is. The fingerprint kept with a contact's link says what we last sent, per field.
 */
final class ContactFields {
  static final List<String> OWNED =
      List.of("name", "firstName", "lastName", "email", "phone", "billingAddress");

  /** Xero's Phone.PhoneNumber holds 50 characters (xero_accounting.yaml, Phone). */
  static final int MAX_PHONE_LENGTH = 50;

  /**
   * Each billingAddress field's length, as Xero's Address holds it (xero_accounting.yaml, Address:
   * lines 500 characters, city and region 255, postal code and country 50).
   */
  static final Map<String, Integer> ADDRESS_LIMITS =
      Map.of(
          "addressLine1", 500,
          "addressLine2", 500,
          "addressLine3", 500,
          "addressLine4", 500,
          "city", 255,
          "region", 255,
          "postalCode", 50,
          "country", 50);

  /** Our billingAddress fields and Xero's Address fields, in Xero's order. */
  private static final Map<String, String> ADDRESS =
      orderedMap(
          "addressLine1", "AddressLine1",
          "addressLine2", "AddressLine2",
          "addressLine3", "AddressLine3",
          "addressLine4", "AddressLine4",
          "city", "City",
          "region", "Region",
          "postalCode", "PostalCode",
          "country", "Country");

  private ContactFields() {}

  /**
   * Xero's contact element for the owned fields {@code contact} carries, with {@code number} as
   * ContactNumber when it is not null. An address is sent whole (a line not given is cleared), so
   * what Xero holds is exactly ours; so is the phone (no area or country code of its own).
   */
  static ObjectNode element(JsonNode contact, @Nullable String number) {
    ObjectNode el = Json.MAPPER.createObjectNode();
    if (contact.hasNonNull("name")) {
      el.put("Name", contact.get("name").asText());
    }
    if (number != null) {
      el.put("ContactNumber", number);
    }
    if (contact.hasNonNull("firstName")) {
      el.put("FirstName", contact.get("firstName").asText());
    }
    if (contact.hasNonNull("lastName")) {
      el.put("LastName", contact.get("lastName").asText());
    }
    if (contact.hasNonNull("email")) {
      el.put("EmailAddress", contact.get("email").asText());
    }
    if (contact.hasNonNull("phone")) {
      el.putArray("Phones")
          .addObject()
          .put("PhoneType", "DEFAULT")
          .put("PhoneNumber", contact.get("phone").asText())
          .put("PhoneAreaCode", "")
          .put("PhoneCountryCode", "");
    }
    if (contact.hasNonNull("billingAddress")) {
      JsonNode ours = contact.get("billingAddress");
      ObjectNode a = el.putArray("Addresses").addObject().put("AddressType", "POBOX");
      ADDRESS.forEach((mine, xeros) -> a.put(xeros, ours.path(mine).asText("")));
    }
    return el;
  }

  /** True when {@code contact} carries an owned field whose value Xero's {@code xero} lacks. */
  static boolean differ(JsonNode contact, JsonNode xero) {
    ObjectNode el = element(contact, null);
    for (var f : el.properties()) {
      JsonNode held =
          switch (f.getKey()) {
            case "Phones" -> ofType(xero.path("Phones"), "PhoneType", "DEFAULT");
            case "Addresses" -> ofType(xero.path("Addresses"), "AddressType", "POBOX");
            default -> xero.path(f.getKey());
          };
      JsonNode sent = f.getValue().isArray() ? f.getValue().get(0) : f.getValue();
      if (!covers(held, sent)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode ofType(JsonNode list, String typeField, String type) {
    for (JsonNode n : list) {
      if (type.equals(n.path(typeField).asText())) {
        return n;
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  /** Whether Xero's value {@code held} is what we send ({@code sent}); "" equals absent. */
  private static boolean covers(JsonNode held, JsonNode sent) {
    if (!sent.isObject()) {
      return sent.asText().equals(held.asText(""));
    }
    for (var f : sent.properties()) {
      if (!f.getValue().asText().equals(held.path(f.getKey()).asText(""))) {
        return false;
      }
    }
    return true;
  }

  /** Per owned field {@code contact} carries, a short hash of its value, over {@code before}. */
  static ObjectNode fingerprint(JsonNode contact, JsonNode before) {
    ObjectNode out = before.isObject() ? before.deepCopy() : Json.MAPPER.createObjectNode();
    for (String f : OWNED) {
      if (contact.hasNonNull(f)) {
        out.put(f, hash(contact.get(f)));
      }
    }
    return out;
  }

  /** True when {@code contact} carries an owned field other than we last sent ({@code pushed}). */
  static boolean changedSince(JsonNode contact, JsonNode pushed) {
    for (String f : OWNED) {
      if (contact.hasNonNull(f) && !hash(contact.get(f)).equals(pushed.path(f).asText())) {
        return true;
      }
    }
    return false;
  }

  private static String hash(JsonNode value) {
    return Outbox.hash(Outbox.canonical(value)).substring(0, 16);
  }

  private static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
