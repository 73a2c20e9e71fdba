package dev.xerosync.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** An event as the {@link EventLog} holds it: its draft, its place in the tenant's order. */
public record LoggedEvent(
    String id,
    String type,
    String tenantId,
    String subjectId,
    long sequence,
    Instant occurredAt,
    Instant detectedAt,
    JsonNode data,
    @Nullable JsonNode previous) {}
