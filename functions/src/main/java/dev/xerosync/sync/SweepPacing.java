package dev.xerosync.sync;

import java.time.Duration;

/**
 * When each tenant's hourly sweep starts. Queued all at once, 5,000 sweeps (three Xero calls each)
 * stand in the FIFO queue in front of every webhook's change for minutes (ScaleBenchmark,
 * docs/scale.md). Paced at {@code perSecond} instead, the sweeps take a small, steady share of the
 * workers and of Xero's app limit; with more tenants than the pace fits into the period, the pace
 * rises so that every tenant is still swept once a period.
 */
public record SweepPacing(double perSecond, Duration period) {
  /** 2 sweeps a second: about 360 Xero calls a minute, under 4% of Xero's app limit. */
  public static final SweepPacing DEFAULT = new SweepPacing(2, Duration.ofHours(1));

  /** Sweeps spread over the last tenth of the period are left for the next sweep to overtake. */
  private static final double USABLE_SHARE = 0.9;

  public SweepPacing {
    if (!(perSecond > 0) || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a pace needs a positive rate and period");
    }
  }

  /** How long after the schedule fires the {@code index}-th of {@code tenants} sweeps starts. */
  public Duration offset(int index, int tenants) {
    double usableSeconds = period.toMillis() / 1000.0 * USABLE_SHARE;
    double pace = Math.max(perSecond, tenants / usableSeconds);
    return Duration.ofMillis((long) (index * 1000 / pace));
  }
}
