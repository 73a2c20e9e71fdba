package dev.xerosync.common;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration a function reads, by the names template.yaml sets, and the clock it reads time
 * from. Lambda passes the process environment and the system clock; the local host passes the same
 * names resolved against local services, and its own clock.
 */
public final class Environment {
  private final Map<String, String> values;
  private final boolean process;
  private final Clock clock;

  private Environment(Map<String, String> values, boolean process, Clock clock) {
    this.values = Map.copyOf(values);
    this.process = process;
    this.clock = clock;
  }

  public static Environment process() {
    return new Environment(System.getenv(), true, Clock.systemUTC());
  }

  public static Environment of(Map<String, String> values) {
    return new Environment(values, false, Clock.systemUTC());
  }

  /** These values with {@code more} over them (a test host's override of the template's). */
  public Environment with(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(values);
    all.putAll(more);
    return new Environment(all, process, clock);
  }

  /**
   * These values on another clock: the local host hands its functions the stack's one clock, which
   * its tests move forward (a token's expiry, a due date) instead of waiting. Only code in the same
   * process can set it; no variable or request does, so in Lambda it is always the system's.
   */
  public Environment withClock(Clock clock) {
    return new Environment(values, process, clock);
  }

  /** What every function reads "now" from: the system's UTC clock in Lambda. */
  public Clock clock() {
    return clock;
  }

  /**
   * True inside Lambda, where credentials come from the runtime and must not be frozen into a
   * snapshot.
   */
  public boolean isProcess() {
    return process;
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "Environment variable " + name + " is not set; see docs/configuration.md");
    }
    return value;
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
  }

  public String get(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  public int getInt(String name, int fallback) {
    return optional(name).map(Integer::parseInt).orElse(fallback);
  }
}
