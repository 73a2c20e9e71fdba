package dev.xerosync.infra.xero;

import dev.xerosync.infra.xero.accounting.AccountingGate;
import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.webhooks.DeliveryFaults;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
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
  private final Deque<WriteFault> nextWriteFaults = new ArrayDeque<>();
  private final Map<WriteFault, Double> writeFaultRates = new EnumMap<>(WriteFault.class);
  private volatile Duration slowCommit = Duration.ofSeconds(2);

  /**
   * What can go wrong with a write (POST, PUT, PATCH, DELETE) on the accounting API, each at its
   * moment relative to the commit. Every write and the fault it met is in {@link
   * XeroSimulator#writeAttempts()}.
   */
  public enum WriteFault {
    /**
     * The write commits, then the connection drops before any response byte: the client sees an I/O
     * error and cannot know the outcome. The case that makes naive retries duplicate.
     */
    RESPONSE_LOST_AFTER_COMMIT,
    /** The write commits, but the gateway gives up waiting and answers 504. */
    GATEWAY_TIMEOUT_AFTER_COMMIT,
    /** A 500 UnknownErrorException (or 503 from the gateway) before anything is saved. */
    SERVER_ERROR_BEFORE_COMMIT,
    /** 429 with X-Rate-Limit-Problem: concurrent, before anything is saved. */
    RATE_LIMIT_CONCURRENT,
    /** 429 with X-Rate-Limit-Problem: minute. */
    RATE_LIMIT_MINUTE,
    /** 429 with X-Rate-Limit-Problem: day. */
    RATE_LIMIT_DAY,
    /** 429 with X-Rate-Limit-Problem: appminute. */
    RATE_LIMIT_APPMINUTE,
    /** The commit is held for {@link #slowCommit(Duration)} (2 s by default), then happens. */
    SLOW_COMMIT
  }

  Faults(long seed, AccountingGate gate) {
    this.random = new Random(seed);
    this.gate = gate;
    gate.interceptor(this::around);
  }

  /** The next {@code count} writes meet this fault (queued faults come before random ones). */
  public Faults failNextWrites(WriteFault fault, int count) {
    synchronized (nextWriteFaults) {
      for (int i = 0; i < count; i++) {
        nextWriteFaults.add(fault);
      }
    }
    return this;
  }

  /** Each write meets this fault with this probability (0..1), drawn from the seeded generator. */
  public Faults writeFaults(WriteFault fault, double rate) {
    synchronized (writeFaultRates) {
      writeFaultRates.put(fault, check(rate));
    }
    return this;
  }

  /** How long a SLOW_COMMIT write is held before it commits (real time). */
  public Faults slowCommit(Duration delay) {
    slowCommit = delay;
    return this;
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
      for (int i = 0; i < count; i++) {
        forced429s.add(problem);
      }
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
    synchronized (nextWriteFaults) {
      nextWriteFaults.clear();
    }
    synchronized (writeFaultRates) {
      writeFaultRates.clear();
    }
    return this;
  }

  private static double check(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be within 0..1: " + rate);
    }
    return rate;
  }

  private boolean roll(double rate) {
    if (rate <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < rate;
    }
  }

  private SimResponse around(
      String tenantId, String clientId, SimRequest req, AccountingGate.Proceed proceed)
      throws Exception {
    String forced;
    synchronized (forced429s) {
      forced = forced429s.poll();
    }
    if (forced != null) {
      return tooMany(clientId, tenantId, forced);
    }
    if (roll(slowRate)) {
      Thread.sleep(slowDelay);
    }
    if (roll(serverErrorRate)) {
      return serverError();
    }
    WriteFault fault = "GET".equals(req.method()) ? null : writeFault();
    if (fault == null) {
      return proceed.run();
    }
    SimResponse r =
        switch (fault) {
          case SERVER_ERROR_BEFORE_COMMIT -> serverError();
          case RATE_LIMIT_CONCURRENT -> tooMany(clientId, tenantId, "concurrent");
          case RATE_LIMIT_MINUTE -> tooMany(clientId, tenantId, "minute");
          case RATE_LIMIT_DAY -> tooMany(clientId, tenantId, "day");
          case RATE_LIMIT_APPMINUTE -> tooMany(clientId, tenantId, "appminute");
          case SLOW_COMMIT -> {
            Thread.sleep(slowCommit);
            yield proceed.run();
          }
          case RESPONSE_LOST_AFTER_COMMIT -> {
            proceed.run();
            yield SimResponse.dropped();
          }
          case GATEWAY_TIMEOUT_AFTER_COMMIT -> {
            proceed.run();
            yield Problems.problem(504, "Gateway Timeout", "The upstream server timed out");
          }
        };
    return r.header(AccountingGate.FAULT_MARKER, fault.name());
  }

  private WriteFault writeFault() {
    synchronized (nextWriteFaults) {
      WriteFault f = nextWriteFaults.poll();
      if (f != null) {
        return f;
      }
    }
    synchronized (writeFaultRates) {
      for (var e : writeFaultRates.entrySet()) {
        if (roll(e.getValue())) {
          return e.getKey();
        }
      }
    }
    return null;
  }

  private SimResponse tooMany(String clientId, String tenantId, String problem) {
    long retry =
        switch (problem) {
          case "day" -> 3600;
          case "concurrent" -> 1;
          default -> 30;
        };
    return gate.forced429(clientId, tenantId, problem, retry);
  }

  private SimResponse serverError() {
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
