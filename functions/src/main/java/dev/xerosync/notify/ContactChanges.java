package dev.xerosync.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.store.EventDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The business events of one contact change: {@code contact.merged} when it newly names the contact
 * it was merged into ({@code data.mergedToContactId}, the survivor), else {@code contact.archived}
 * when its status became ARCHIVED. Xero archives a merged contact, so a merge is one event, not
 * two. A contact first seen archived or merged is history, not a change: nothing.
 */
final class ContactChanges {
  private ContactChanges() {}

  static List<EventDraft> derive(String tenantId, @Nullable ObjectNode before, ObjectNode after) {
    List<EventDraft> events = new ArrayList<>();
    if (before == null) {
      return events;
    }
    String id = after.path("contactId").asText();
    String version = after.path("updatedUtc").asText("");
    Instant occurredAt = version.isEmpty() ? Instant.EPOCH : Instant.parse(version);
    String mergedTo = after.path("mergedToContactId").asText(null);
    ObjectNode previous =
        InvoiceChanges.changed(before, after, List.of("status", "mergedToContactId"));
    if (mergedTo != null
        && !Objects.equals(mergedTo, before.path("mergedToContactId").asText(null))) {
      events.add(
          EventIds.draft(
              tenantId, id, EventTypes.CONTACT_MERGED, mergedTo, occurredAt, after, previous));
    } else if ("ARCHIVED".equals(after.path("status").asText())
        && !"ARCHIVED".equals(before.path("status").asText())) {
      events.add(
          EventIds.draft(
              tenantId, id, EventTypes.CONTACT_ARCHIVED, version, occurredAt, after, previous));
    }
    return events;
  }
}
