package dev.xerosync.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.store.ConnectionRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes business events to their tenant's subscribers: the body is the {@link BusinessEvent} as
 * {@link Json#MAPPER} writes it (replay serves the same), queued per (subscription, subject) by
 * {@link EventFanOut}. A tenant no SaaS tenant owns (never connected through the connect flow) has
 * no subscribers. A failure to queue is thrown: the caller's message is retried, and the same ids
 * are deduplicated downstream.
 */
public final class SqsEventPublisher implements EventPublisher {
  private static final Log LOG = Log.of(SqsEventPublisher.class);

  private final ConnectionRecords records;
  private final EventFanOut fanOut;

  public SqsEventPublisher(ConnectionRecords records, EventFanOut fanOut) {
    this.records = records;
    this.fanOut = fanOut;
  }

  @Override
  public void publish(List<BusinessEvent> events) {
    Map<String, List<EventFanOut.Outbound>> byTenant = new LinkedHashMap<>();
    for (BusinessEvent e : events) {
      byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>()).add(outbound(e));
    }
    byTenant.forEach(
        (tenantId, outbound) -> {
          var link = records.link(tenantId);
          if (link.isEmpty()) {
            LOG.info(
                "events not published: no SaaS tenant owns the tenant",
                "tenantId",
                tenantId,
                "events",
                outbound.size());
            return;
          }
          fanOut.fanOut(link.get().saasTenantId(), outbound);
        });
  }

  static EventFanOut.Outbound outbound(BusinessEvent e) {
    try {
      return new EventFanOut.Outbound(
          e.id(), e.type(), e.subjectId(), Json.MAPPER.writeValueAsString(e));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("event " + e.id() + " could not be serialised", x);
    }
  }
}
