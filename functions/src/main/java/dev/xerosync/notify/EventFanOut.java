package dev.xerosync.notify;

import dev.xerosync.common.Log;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds who hears about an event and queues one delivery per (subscription, event): every
 * subscription of the SaaS tenant that names the type (or its {@code category.*}), and, for the
 * notification types, the notification URL set with PUT notification-url.
 */
public final class EventFanOut {
  private static final Log LOG = Log.of(EventFanOut.class);

  /** An event ready to go: {@code body} is what is POSTed and signed. */
  public record Outbound(String id, String type, String subjectId, String body) {}

  private final Subscriptions subscriptions;
  private final ConnectionRecords records;
  private final EventQueue queue;

  public EventFanOut(Subscriptions subscriptions, ConnectionRecords records, EventQueue queue) {
    this.subscriptions = subscriptions;
    this.records = records;
    this.queue = queue;
  }

  /** Queues the events' deliveries, in the order given; returns how many were queued. */
  public int fanOut(String saasTenantId, List<Outbound> events) {
    List<Subscriptions.Subscription> subs = subscriptions.list(saasTenantId);
    boolean anyNotification = events.stream().anyMatch(e -> Notification.TYPES.contains(e.type()));
    Optional<String> notificationUrl =
        anyNotification ? records.notificationUrl(saasTenantId) : Optional.empty();
    List<EventQueue.Delivery> deliveries = new ArrayList<>();
    for (Outbound e : events) {
      for (Subscriptions.Subscription s : subs) {
        if (matches(s.types(), e.type())) {
          deliveries.add(delivery(saasTenantId, s.id(), e));
        }
      }
      if (notificationUrl.isPresent() && Notification.TYPES.contains(e.type())) {
        deliveries.add(delivery(saasTenantId, EventQueue.NOTIFICATION_URL, e));
      }
    }
    if (!deliveries.isEmpty()) {
      queue.send(deliveries);
    }
    LOG.info(
        "events fanned out",
        "saasTenantId",
        saasTenantId,
        "events",
        events.size(),
        "deliveries",
        deliveries.size());
    return deliveries.size();
  }

  /**
   * A subscription's types: exact ({@code invoice.paid}), or a whole category ({@code invoice.*}).
   */
  public static boolean matches(List<String> types, String type) {
    int dot = type.indexOf('.');
    String category = dot < 0 ? type : type.substring(0, dot) + ".*";
    return types.contains(type) || types.contains(category);
  }

  private static EventQueue.Delivery delivery(
      String saasTenantId, String subscriptionId, Outbound e) {
    return new EventQueue.Delivery(
        saasTenantId, subscriptionId, e.id(), e.type(), e.subjectId(), e.body());
  }
}
