package dev.xerosync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Guid;
import dev.xerosync.common.Json;
import dev.xerosync.common.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One delivery from Xero: {@code events[]} plus sequence numbers and entropy. */
public record WebhookDelivery(List<Event> events, long firstEventSequence, long lastEventSequence) {

  /** One change Xero reports: which tenant, which resource, what happened and when. */
  public record Event(
      @Nullable String tenantId,
      @Nullable String eventCategory,
      @Nullable String eventType,
      @Nullable String resourceId,
      String eventDateUtc) {}

  public static WebhookDelivery parse(byte[] body) throws Problem {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw malformed("body is not JSON");
    }
    if (root == null || !root.isObject() || !root.path("events").isArray()) {
      throw malformed("body has no events array");
    }
    // A missing or non-text field is kept as null: EventCheck drops that one event, not the
    // delivery. Ids are lower-cased: Xero may send a tenant's GUID in upper case.
    List<Event> events = new ArrayList<>();
    for (JsonNode e : root.path("events")) {
      String date = text(e, "eventDateUtc");
      events.add(
          new Event(
              id(e, "tenantId"),
              text(e, "eventCategory"),
              text(e, "eventType"),
              id(e, "resourceId"),
              date == null ? "" : date));
    }
    return new WebhookDelivery(
        List.copyOf(events),
        root.path("firstEventSequence").asLong(0),
        root.path("lastEventSequence").asLong(0));
  }

  private static @Nullable String text(JsonNode event, String field) {
    JsonNode value = event.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /** A GUID field in its canonical spelling (Guid.canonical); null when missing or not text. */
  private static @Nullable String id(JsonNode event, String field) {
    String value = text(event, field);
    return value == null ? null : Guid.canonical(value);
  }

  /** 400: a signed delivery that is not the shape Xero sends. */
  private static Problem malformed(String detail) {
    return new Problem(400, "Malformed webhook delivery", detail);
  }
}
