package dev.xerosync.webhook;

import dev.xerosync.common.Guid;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the events of a signed delivery that cannot be synced, each with a WARN naming it and the
 * WebhookEventsDropped metric, and keeps the rest. Xero does not redeliver an event we
 * acknowledged, and an invalid one could never be fetched anyway, so dropping it loses nothing
 * real; forwarding it would make the worker fail every change folded with it.
 */
final class InvalidEvents {
  private static final Log LOG = Log.of(InvalidEvents.class);

  private InvalidEvents() {}

  static List<WebhookDelivery.Event> dropFrom(List<WebhookDelivery.Event> events) {
    List<WebhookDelivery.Event> valid = new ArrayList<>(events.size());
    int dropped = 0;
    for (int i = 0; i < events.size(); i++) {
      WebhookDelivery.Event e = events.get(i);
      String problem = EventCheck.problem(e);
      if (problem == null) {
        valid.add(e);
        continue;
      }
      dropped++;
      LOG.warn(
          "webhook event dropped: " + problem,
          "event",
          i,
          "tenantId",
          Guid.printable(e.tenantId()),
          "eventCategory",
          Guid.printable(e.eventCategory()),
          "eventType",
          Guid.printable(e.eventType()),
          "resourceId",
          Guid.printable(e.resourceId()));
    }
    if (dropped > 0) {
      Metrics.count(Metrics.WEBHOOK_EVENTS_DROPPED, dropped);
    }
    return valid;
  }
}
