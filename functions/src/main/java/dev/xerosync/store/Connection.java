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

  /** The initial sync's checkpoint and progress ({@link InitialSyncProgress} reads the latter). */
  public record InitialSync(
      Phase phase,
      LocalDate cutoff,
      long cursorMs,
      int page,
      Counts counts,
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
      return new InitialSync(Phase.RECENT, cutoff, 0, 1, Counts.NONE, now, null, null);
    }

    /** Records copied so far, every phase together. */
    public long processed() {
      return counts.recentDone() + counts.olderDone() + counts.contactsDone();
    }

    public int percentDone() {
      return InitialSyncProgress.percentDone(this);
    }
  }

  /**
   * Records copied ({@code ...Done}) and to copy ({@code ...Total}) per phase. A total is Xero's
   * count when the sync started ({@code pagination.itemCount}), or {@link #UNKNOWN} while Xero has
   * given none. Saved with each page's checkpoint, so keeping it costs no write of its own.
   */
  public record Counts(
      long recentDone,
      long recentTotal,
      long olderDone,
      long olderTotal,
      long contactsDone,
      long contactsTotal) {
    public static final long UNKNOWN = -1;
    public static final Counts NONE = new Counts(0, UNKNOWN, 0, UNKNOWN, 0, UNKNOWN);

    /** These counts with {@code n} more records copied in {@code phase}. */
    public Counts plus(InitialSync.Phase phase, long n) {
      return switch (phase) {
        case RECENT ->
            new Counts(
                recentDone + n, recentTotal, olderDone, olderTotal, contactsDone, contactsTotal);
        case OLDER ->
            new Counts(
                recentDone, recentTotal, olderDone + n, olderTotal, contactsDone, contactsTotal);
        case CONTACTS ->
            new Counts(
                recentDone, recentTotal, olderDone, olderTotal, contactsDone + n, contactsTotal);
        case DONE -> this;
      };
    }
  }
}
