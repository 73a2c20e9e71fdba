package dev.xerosync.sync;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which tenants the hourly schedule sweeps, and when each sweep starts.
 *
 * <p><b>Which.</b> A tenant is swept every {@code period}, unless it is quiet and its webhooks are
 * healthy: its last sweep found nothing that webhooks had not already brought (a <em>clean</em>
 * sweep). Such a tenant is swept every {@code quietPeriod} instead, on a turn its id decides, so
 * the quiet tenants' sweeps spread evenly over the hours. The first sweep that finds a missed
 * change puts the tenant back on every period. What it risks: a change that no webhook announces (a
 * lost webhook, an unallocated overpayment or prepayment, which have none) shows up to {@code
 * quietPeriod} late instead of {@code period} (docs/scale.md).
 *
 * <p><b>When.</b> Queued all at once, 5,000 sweeps stand in the FIFO queue in front of every
 * webhook's change for minutes (ScaleBenchmark, docs/scale.md). Paced at {@code perSecond} instead,
 * the sweeps take a small, steady share of the workers and of Xero's app limit; with more sweeps
 * than the pace fits into the period, the pace rises so that every one still fits.
 */
public record SweepPacing(double perSecond, Duration period, Duration quietPeriod) {
  /**
   * 2 sweeps a second (6 Xero calls each: about 720 calls a minute), hourly, and every 3 hours for
   * a tenant whose last sweep was clean: the sweeps' share of Xero's app limit falls about
   * threefold.
   */
  public static final SweepPacing DEFAULT =
      new SweepPacing(2, Duration.ofHours(1), Duration.ofHours(3));

  /** Sweeps spread over the last tenth of the period are left for the next sweep to overtake. */
  private static final double USABLE_SHARE = 0.9;

  public SweepPacing {
    if (!(perSecond > 0) || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a pace needs a positive rate and period");
    }
    if (quietPeriod.compareTo(period) < 0) {
      throw new IllegalArgumentException("a quiet tenant is swept no more often than the others");
    }
  }

  /** Every tenant every period, as before adaptive sweeps. */
  public SweepPacing(double perSecond, Duration period) {
    this(perSecond, period, period);
  }

  /** How long after the schedule fires the {@code index}-th of {@code tenants} sweeps starts. */
  public Duration offset(int index, int tenants) {
    double usableSeconds = period.toMillis() / 1000.0 * USABLE_SHARE;
    double pace = Math.max(perSecond, tenants / usableSeconds);
    return Duration.ofMillis((long) (index * 1000 / pace));
  }

  /**
   * Whether the schedule fired at {@code fired} sweeps the tenant, whose last sweep started at
   * {@code sweptAt} (null: none known) and was {@code clean} or not.
   */
  public boolean due(String tenantId, Instant fired, @Nullable Instant sweptAt, boolean clean) {
    long every = quietPeriod.toMillis() / period.toMillis();
    if (every <= 1 || sweptAt == null || !clean) {
      return true;
    }
    // Overdue (its turn's sweep failed, or it turned clean between turns): now.
    if (sweptAt.isBefore(fired.minus(quietPeriod))) {
      return true;
    }
    long slot = Math.floorDiv(fired.toEpochMilli(), period.toMillis());
    // String.hashCode is specified, so a tenant keeps its turn across deployments.
    return Math.floorMod(slot + tenantId.hashCode(), every) == 0;
  }
}
