package dev.xerosync.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a store asks of the business events when it changes an invoice, credit or contact: the
 * events the change makes (derived from its before and after, as the API serves them), which the
 * store writes in the change's own transaction, and a call once they are committed, to hand them
 * on. Implemented in {@code notify}; {@link #NONE} logs nothing.
 */
public interface ChangeEvents {
  /** The kind of record that changed. */
  enum Subject {
    INVOICE,
    CREDIT,
    CONTACT
  }

  /**
   * The events of one change; {@code before} null when the record is new. Pure: no I/O, the same
   * before and after derive the same events with the same ids.
   */
  List<EventDraft> derive(
      Subject subject, String tenantId, @Nullable ObjectNode before, ObjectNode after);

  /** The tenant has newly logged events; publishes them. Must not throw: they stay logged. */
  void logged(String tenantId);

  /**
   * A change to an invoice or credit of {@code contactId} is committed, with or without events: the
   * open panels that show the contact hear of it. Must not throw: the change is stored.
   */
  default void committed(String tenantId, @Nullable String contactId) {}

  ChangeEvents NONE =
      new ChangeEvents() {
        @Override
        public List<EventDraft> derive(
            Subject subject, String tenantId, @Nullable ObjectNode before, ObjectNode after) {
          return List.of();
        }

        @Override
        public void logged(String tenantId) {}
      };
}
