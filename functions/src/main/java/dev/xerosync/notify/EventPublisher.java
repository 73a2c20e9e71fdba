package dev.xerosync.notify;

import java.util.List;

/**
 * Hands derived events to delivery, in order. Publishing the same event twice is harmless: delivery
 * and consumers deduplicate on {@link BusinessEvent#id()}.
 */
@FunctionalInterface
public interface EventPublisher {
  void publish(List<BusinessEvent> events);
}
