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
  private final @Nullable PanelPush panels;

  public BusinessEvents(EventRelay relay) {
    this(relay, null);
  }

  /** {@code panels}: who tells the open panels of each committed change (null: nobody). */
  public BusinessEvents(EventRelay relay, @Nullable PanelPush panels) {
    this.relay = relay;
    this.panels = panels;
  }

  /**
   * The deployment's: events logged in {@code log}, published as {@code env} says, and the open
   * panels told of each change when the function has PANEL_SOCKET_ENDPOINT.
   */
  public static BusinessEvents of(EventLog log, Environment env) {
    return new BusinessEvents(
        new EventRelay(log, EventPublishers.deployed(env)), PanelPush.deployed(env).orElse(null));
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

  @Override
  public void committed(String tenantId, @Nullable String contactId) {
    if (panels != null && contactId != null) {
      panels.changed(tenantId, contactId);
    }
  }
}
