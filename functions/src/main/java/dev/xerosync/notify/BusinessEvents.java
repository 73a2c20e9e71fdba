package dev.xerosync.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Environment;
import dev.xerosync.store.ChangeEvents;
import dev.xerosync.store.EventDraft;
import dev.xerosync.store.EventLog;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The business events of the stores' changes: derived here, logged by the store with the change,
 * then relayed to delivery.
 */
public final class BusinessEvents implements ChangeEvents {
  private final EventRelay relay;

  public BusinessEvents(EventRelay relay) {
    this.relay = relay;
  }

  /** The deployment's: events logged in {@code log}, published as {@code env} says. */
  public static BusinessEvents of(EventLog log, Environment env) {
    return new BusinessEvents(new EventRelay(log, EventPublishers.deployed(env)));
  }

  /** The relay, for a run of the tenant to publish what a crash left unpublished. */
  public EventRelay relay() {
    return relay;
  }

  @Override
  public List<EventDraft> derive(
      Subject subject, String tenantId, @Nullable ObjectNode before, ObjectNode after) {
    return switch (subject) {
      case INVOICE -> InvoiceChanges.derive(tenantId, before, after);
      case CREDIT -> CreditChanges.derive(tenantId, before, after);
      case CONTACT -> ContactChanges.derive(tenantId, before, after);
    };
  }

  @Override
  public void logged(String tenantId) {
    relay.relay(tenantId);
  }
}
