package dev.xerosync.infra.xero;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulator's notion of "now". Token lifetimes, rate-limit windows and webhook retry schedules
 * all read it, so tests move time forward instead of sleeping. By default it starts at the real
 * time and keeps ticking with it (a long-running simulator behaves like Xero); {@link
 * #frozen(Instant)} gives a clock that moves only when told.
 */
public final class SimClock extends Clock {
  private final Clock base;
  private volatile Duration offset;

  public SimClock() {
    this(Clock.systemUTC(), Duration.ZERO);
  }

  private SimClock(Clock base, Duration offset) {
    this.base = base;
    this.offset = offset;
  }

  /** A clock that stands still at the given instant until advanced or set. */
  public static SimClock frozen(Instant at) {
    return new SimClock(Clock.fixed(at, ZoneOffset.UTC), Duration.ZERO);
  }

  public synchronized void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + d);
    }
    offset = offset.plus(d);
  }

  public synchronized void set(Instant instant) {
    offset = Duration.between(base.instant(), instant);
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("SimClock is always UTC");
  }
}
