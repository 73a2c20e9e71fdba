package dev.xerosync.notify;

import dev.xerosync.common.Log;
import dev.xerosync.store.EventLog;
import dev.xerosync.store.LoggedEvent;
import java.util.List;

/**
 * Hands a tenant's logged events to delivery, in sequence order, from the published mark up to the
 * head, then moves the mark. Called after each change that logged events and at each run of the
 * tenant, so events a crash left between the commit and the publish go out on the next run. Two
 * relays of one tenant may publish an event twice; delivery and consumers deduplicate on its id.
 */
public final class EventRelay {
  private static final Log LOG = Log.of(EventRelay.class);
  private static final int PAGE = 100;

  private final EventLog log;
  private final EventPublisher publisher;

  public EventRelay(EventLog log, EventPublisher publisher) {
    this.log = log;
    this.publisher = publisher;
  }

  /** Publishes what is unpublished; returns how many. A failure leaves them for the next run. */
  public int relay(String tenantId) {
    int published = 0;
    try {
      EventLog.Head head = log.head(tenantId);
      while (head.last() > head.published()) {
        List<LoggedEvent> page = log.unpublished(tenantId, head, PAGE);
        if (page.isEmpty()) {
          break;
        }
        publisher.publish(page.stream().map(EventRelay::event).toList());
        long through = page.get(page.size() - 1).sequence();
        log.published(tenantId, through);
        published += page.size();
        head = new EventLog.Head(head.last(), through, true);
      }
    } catch (RuntimeException e) {
      LOG.error(
          "business events not published; the tenant's next run retries", e, "tenantId", tenantId);
    }
    return published;
  }

  static BusinessEvent event(LoggedEvent e) {
    return new BusinessEvent(
        e.id(),
        e.type(),
        e.tenantId(),
        e.subjectId(),
        e.sequence(),
        e.occurredAt(),
        e.detectedAt(),
        e.data(),
        e.previous());
  }
}
