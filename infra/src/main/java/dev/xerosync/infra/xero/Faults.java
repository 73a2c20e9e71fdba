package dev.xerosync.infra.xero;

import dev.xerosync.infra.xero.accounting.AccountingGate;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.webhooks.DeliveryFaults;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * Runtime-switchable misbehaviour. All randomness comes from one seeded generator, so a test that
 * sets the seed sees the same sequence of faults every run (given the same sequence of calls).
 */
public final class Faults {
  private final Random random;
  private final AccountingGate gate;
  private volatile double serverErrorRate;
  private volatile double slowRate;
  private volatile Duration slowDelay = Duration.ofSeconds(2);
  private volatile double dropWebhookRate;
  private volatile double duplicateWebhookRate;
  private volatile double reorderWebhookRate;
  private final Deque<String> forced429s = new ArrayDeque<>();

  Faults(long seed, AccountingGate gate) {
    this.random = new Random(seed);
    this.gate = gate;
    gate.interceptor(this::intercept);
  }

  /** Fraction (0..1) of accounting calls answered with a 5xx instead of running. */
  public Faults serverErrors(double rate) {
    serverErrorRate = check(rate);
    return this;
  }

  /** Fraction of accounting calls held for delay (real time) before they run. */
  public Faults slowResponses(double rate, Duration delay) {
    slowRate = check(rate);
    slowDelay = delay;
    return this;
  }

  public Faults dropWebhooks(double rate) {
    dropWebhookRate = check(rate);
    return this;
  }

  public Faults duplicateWebhooks(double rate) {
    duplicateWebhookRate = check(rate);
    return this;
  }

  public Faults reorderWebhooks(double rate) {
    reorderWebhookRate = check(rate);
    return this;
  }

  /**
   * The next {@code count} accounting calls get a 429 of this kind: concurrent, minute, day or
   * appminute.
   */
  public Faults force429(String problem, int count) {
    if (!java.util.List.of("concurrent", "minute", "day", "appminute").contains(problem)) {
      throw new IllegalArgumentException("unknown rate limit problem " + problem);
    }
    synchronized (forced429s) {
      for (int i = 0; i < count; i++) forced429s.add(problem);
    }
    return this;
  }

  public Faults reseed(long seed) {
    synchronized (random) {
      random.setSeed(seed);
    }
    return this;
  }

  /** Everything off. */
  public Faults clear() {
    serverErrorRate = slowRate = dropWebhookRate = duplicateWebhookRate = reorderWebhookRate = 0;
    synchronized (forced429s) {
      forced429s.clear();
    }
    return this;
  }

  private static double check(double rate) {
    if (rate < 0 || rate > 1)
      throw new IllegalArgumentException("rate must be within 0..1: " + rate);
    return rate;
  }

  private boolean roll(double rate) {
    if (rate <= 0) return false;
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  private SimResponse intercept(String tenantId, String clientId) throws InterruptedException {
    String forced;
    synchronized (forced429s) {
      forced = forced429s.poll();
    }
    if (forced != null) {
      long retry =
          switch (forced) {
            case "day" -> 3600;
            case "concurrent" -> 1;
            default -> 30;
          };
      return gate.forced429(clientId, tenantId, forced, retry);
    }
    if (roll(slowRate)) Thread.sleep(slowDelay);
    if (roll(serverErrorRate)) {
      // Xero's intermittent failures arrive as 503 from the gateway or 500 from the API; alternate.
      boolean gateway = roll(0.5);
      return gateway
          ? Problems.problem(503, "Service Unavailable", "The Xero API is temporarily unavailable")
          : Problems.apiException(
              500,
              500,
              "UnknownErrorException",
              "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.",
              null);
    }
    return null;
  }

  DeliveryFaults webhookFaults() {
    return new DeliveryFaults() {
      public boolean drop() {
        return roll(dropWebhookRate);
      }

      public boolean duplicate() {
        return roll(duplicateWebhookRate);
      }

      public boolean reorder() {
        return roll(reorderWebhookRate);
      }
    };
  }
}
