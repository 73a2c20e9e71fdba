package dev.xerosync.infra.xero.webhooks;

import java.time.Instant;

/** One event as Xero puts it in a delivery. */
public record WebhookEvent(
    String resourceUrl,
    String resourceId,
    Instant eventDateUtc,
    String eventType,
    String eventCategory,
    String tenantId) {}
