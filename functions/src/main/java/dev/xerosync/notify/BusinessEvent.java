package dev.xerosync.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change a product cares about, derived from the store's before and after (never from a webhook
 * alone), or from the clock for time-based types. Events of one subject (an invoice, contact or
 * credit) are published, delivered and replayed in {@code sequence} order.
 *
 * @param id the consumer's deduplication key: the same change always derives the same id
 * @param type for example {@code invoice.paid}; see {@link EventTypes}
 * @param tenantId the Xero tenant (organisation) the change happened in
 * @param subjectId the invoice, contact or credit the event is about; delivery is ordered per
 *     subject
 * @param sequence the tenant's event order, increasing; replay cursors and ordering use it
 * @param occurredAt Xero's {@code UpdatedDateUTC}, or the due-date instant for time-based types
 * @param detectedAt when we derived it
 * @param data the subject as the query API serves it
 * @param previous the fields that changed, with their values before; null when nothing preceded
 */
public record BusinessEvent(
    String id,
    String type,
    String tenantId,
    String subjectId,
    long sequence,
    Instant occurredAt,
    Instant detectedAt,
    JsonNode data,
    @Nullable JsonNode previous) {}
