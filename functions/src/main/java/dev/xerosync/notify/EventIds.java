package dev.xerosync.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Sha256;
import dev.xerosync.store.EventDraft;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Event ids a consumer can deduplicate on: a hash of what the change is (tenant, subject, type and
 * the version that made it, such as a payment's id or the invoice's UpdatedDateUTC), so seeing the
 * same change again (a replayed webhook, a sweep, our own write echoed back) derives the same id.
 */
final class EventIds {
  private EventIds() {}

  static String of(String tenantId, String subjectId, String type, String version) {
    return "evt_"
        + Sha256.hex(tenantId + "|" + subjectId + "|" + type + "|" + version).substring(0, 32);
  }

  /** The event of one change to one subject, with its id from {@link #of}. */
  static EventDraft draft(
      String tenantId,
      String subjectId,
      String type,
      String version,
      Instant occurredAt,
      ObjectNode data,
      @Nullable ObjectNode previous) {
    return new EventDraft(
        of(tenantId, subjectId, type, version), type, subjectId, occurredAt, data, previous);
  }
}
