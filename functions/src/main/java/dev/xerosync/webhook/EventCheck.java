package dev.xerosync.webhook;

import dev.xerosync.common.Guid;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the receiver forwards, checked field by field. A signature proves a delivery came from Xero,
 * not that every event in it is well formed; one bad event must never ride into the sync queue with
 * good ones, so each event is judged alone.
 */
final class EventCheck {
  /** Xero's webhook categories and types are short upper-case words (INVOICE, CREATE, ...). */
  private static final Pattern WORD = Pattern.compile("[A-Z][A-Z_]{0,39}");

  /** Xero's eventDateUtc, e.g. 2026-01-01T00:00:00.000, with or without a zone. */
  private static final Pattern DATE =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,7})?(Z|[+-]\\d{2}:\\d{2})?");

  static final Set<String> SYNCED_CATEGORIES = Set.of("INVOICE", "CONTACT", "CREDITNOTE");

  private EventCheck() {}

  /** Why an event cannot be forwarded, naming the field; null when it can. */
  static @Nullable String problem(WebhookDelivery.Event e) {
    // The tenant becomes the SQS message group and part of every key: SQS refuses a group id
    // that is not short printable ASCII, which used to surface as a 503 for the whole delivery.
    if (!Guid.isCanonical(e.tenantId())) {
      return "tenantId is not a GUID";
    }
    if (!Guid.isCanonical(e.resourceId())) {
      return "resourceId is not a GUID";
    }
    if (e.eventCategory() == null || !WORD.matcher(e.eventCategory()).matches()) {
      return "eventCategory is not a Xero event category";
    }
    if (e.eventType() == null || !WORD.matcher(e.eventType()).matches()) {
      return "eventType is not a Xero event type";
    }
    if (!e.eventDateUtc().isEmpty() && !DATE.matcher(e.eventDateUtc()).matches()) {
      return "eventDateUtc is not a date-time";
    }
    return null;
  }
}
