package dev.xerosync.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A business event derived from one stored change, before the {@link EventLog} gives it its place
 * in the tenant's order.
 *
 * @param id deterministic: the same change always derives the same id, so it is logged once
 * @param data the subject as the query API serves it
 * @param previous the changed fields' values before the change; null when nothing preceded
 */
public record EventDraft(
    String id,
    String type,
    String subjectId,
    Instant occurredAt,
    JsonNode data,
    @Nullable JsonNode previous) {}
