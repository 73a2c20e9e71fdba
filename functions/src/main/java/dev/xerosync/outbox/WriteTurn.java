package dev.xerosync.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A write's turn among its tenant's writes. The write queue's four lanes each run their writes in
 * order, and all of them draw on the tenant's one budget of Xero calls. Left to race, the lane that
 * happened to get more writes fell behind the others, and its last writes passed the deadline that
 * admission had counted on for the tenant as a whole (WriteDrainBenchmark: 26 of 349 ended
 * DEADLINE_PASSED). So a write goes only when few of the tenant's writes accepted before it are
 * still open: the tenant's writes drain in about the order admitted, whatever their lane, and a
 * write's place in the queue is what it waits behind.
 */
final class WriteTurn {
  private WriteTurn() {}

  /**
   * Older writes that may still be open when a write goes: one per lane, so each lane keeps busy.
   */
  static final int SLACK = 4;

  /** The least a write ahead takes: Xero allows a tenant 60 calls a minute. */
  static final Duration PER_WRITE = Duration.ofSeconds(1);

  /**
   * How long the write with {@code ticket} waits for its turn, when {@code finished} of its
   * tenant's writes have ended; empty when it may go now. {@code ticket - 1 - finished} of the
   * writes accepted before it are at least still open (later ones may have ended too). The counts
   * can read long (a finish that was not counted), so no write waits past {@code turnBy}, the time
   * admission counted on it going.
   */
  static Optional<Duration> wait(
      long ticket, long finished, @Nullable Instant turnBy, Instant now) {
    if (ticket <= 0 || turnBy == null || !now.isBefore(turnBy)) {
      return Optional.empty();
    }
    long ahead = ticket - 1 - finished;
    if (ahead < SLACK) {
      return Optional.empty();
    }
    Duration wait = PER_WRITE.multipliedBy(ahead - SLACK + 1);
    Duration left = Duration.between(now, turnBy);
    return Optional.of(wait.compareTo(left) < 0 ? wait : left);
  }
}
