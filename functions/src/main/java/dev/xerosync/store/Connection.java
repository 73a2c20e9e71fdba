package dev.xerosync.store;

import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's connection as the sync sees it: its status, the initial sync's checkpoint (saved after
 * every page so a killed run resumes), and the reconciliation watermarks.
 */
public record Connection(
    String tenantId,
    ConnectionStatus status,
    @Nullable String statusReason,
    @Nullable Instant rateLimitedUntil,
    @Nullable InitialSync initialSync,
    @Nullable Instant invoicesSince,
    @Nullable Instant paymentsSince,
    @Nullable Instant contactsSince,
    @Nullable Instant organisationFetchedAt,
    @Nullable Instant lastReconciledAt) {

  /** The initial sync's checkpoint and progress. */
  public record InitialSync(
      Phase phase,
      LocalDate cutoff,
      long cursorMs,
      int page,
      long processed,
      long total,
      Instant startedAt,
      @Nullable Instant recentQueryableAt,
      @Nullable Instant finishedAt) {
    /** Last 12 months first, so they are queryable early; then older history; then contacts. */
    public enum Phase {
      RECENT,
      OLDER,
      CONTACTS,
      DONE
    }

    public static InitialSync start(Instant now, LocalDate cutoff) {
      return new InitialSync(Phase.RECENT, cutoff, 0, 1, 0, 0, now, null, null);
    }

    public int percentDone() {
      if (phase == Phase.DONE) {
        return 100;
      }
      if (total <= 0) {
        return 0;
      }
      return (int) Math.min(99, processed * 100 / total);
    }

    /** Estimated finish, from the pace so far; null until there is a pace to go by. */
    public @Nullable Instant eta(Instant now) {
      if (phase == Phase.DONE || processed == 0 || total <= processed) {
        return phase == Phase.DONE ? finishedAt : null;
      }
      long elapsedMs = Math.max(1, now.toEpochMilli() - startedAt.toEpochMilli());
      return now.plusMillis(elapsedMs * (total - processed) / processed);
    }
  }
}
