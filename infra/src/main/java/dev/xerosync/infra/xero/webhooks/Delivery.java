package dev.xerosync.infra.xero.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * One POST the simulator made to the webhook URL. status is the receiver's HTTP status, or -1 when
 * the connection failed or took longer than Xero's 5 seconds. body is the exact bytes signed.
 */
public record Delivery(
    Instant sentAt,
    int status,
    List<WebhookEvent> events,
    String body,
    String signature,
    boolean intentToReceive,
    boolean correctlySigned,
    int attempt) {}
