package dev.xerosync.infra.xero.accounting;

import java.time.Instant;

/**
 * One write (POST, PUT, PATCH, DELETE) that reached the accounting API past authentication, as the
 * simulator's truth: whether the operation ran and committed, whether it was an idempotent replay,
 * which fault was injected, and what the client was sent ({@code -1} when the connection was
 * dropped). Lets a test count duplicates and tell a lost response from a failed write.
 */
public record WriteAttempt(
    Instant at,
    String clientId,
    String tenantId,
    String method,
    String path,
    String idempotencyKey,
    String fault,
    boolean replayed,
    boolean committed,
    int statusSent) {
  public boolean responseLost() {
    return statusSent < 0 || statusSent == 504;
  }
}
