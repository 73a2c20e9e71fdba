package dev.xerosync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One delivery from Xero: {@code events[]} plus sequence numbers and entropy. */
public record WebhookDelivery(List<Event> events, long firstEventSequence, long lastEventSequence) {

  /** One change Xero reports: which tenant, which resource, what happened and when. */
  public record Event(
      String tenantId,
      String eventCategory,
      String eventType,
      String resourceId,
      String eventDateUtc) {}

  public static WebhookDelivery parse(byte[] body) throws MalformedDeliveryException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new MalformedDeliveryException("body is not JSON");
    }
    if (root == null || !root.isObject() || !root.path("events").isArray()) {
      throw new MalformedDeliveryException("body has no events array");
    }
    List<Event> events = new ArrayList<>();
    int index = 0;
    for (JsonNode e : root.path("events")) {
      String tenantId = e.path("tenantId").asText(null);
      String resourceId = e.path("resourceId").asText(null);
      String category = e.path("eventCategory").asText(null);
      if (tenantId == null || resourceId == null || category == null) {
        throw new MalformedDeliveryException(
            "event " + index + " lacks tenantId, resourceId or eventCategory");
      }
      events.add(
          new Event(
              tenantId,
              category,
              e.path("eventType").asText(""),
              resourceId,
              e.path("eventDateUtc").asText("")));
      index++;
    }
    return new WebhookDelivery(
        List.copyOf(events),
        root.path("firstEventSequence").asLong(0),
        root.path("lastEventSequence").asLong(0));
  }

  public static final class MalformedDeliveryException extends Exception {
    public MalformedDeliveryException(String message) {
      super(message);
    }
  }
}
