package dev.xerosync.notify;

import dev.xerosync.common.Environment;

/** Where the business events go once logged: the one place every wiring asks. */
public final class EventPublishers {
  private EventPublishers() {}

  /**
   * Delivers nothing: the events stay in the log, marked published, and replay serves them. The
   * seam until delivery (subscriptions, its queue, signatures) is merged.
   */
  public static final EventPublisher NOT_DELIVERED = events -> {};

  /**
   * The deployment's publisher. Delivery plugs in here (it will read its queue from {@code env});
   * until then, {@link #NOT_DELIVERED}.
   */
  public static EventPublisher deployed(Environment env) {
    return NOT_DELIVERED;
  }
}
