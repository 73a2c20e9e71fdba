package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Honours the Idempotency-Key header on writes: a repeated key (per app and tenant) gets the first
 * response back and causes no second effect. Concurrent repeats wait for the first to finish. Keys
 * are kept for 24 hours. Xero limits keys to 128 characters.
 */
public final class IdempotentWrites {
  static final Duration RETENTION = Duration.ofHours(24);
  static final int MAX_KEY_LENGTH = 128;

  private record Stored(SimResponse response, Instant at) {}

  private final Clock clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Stored> responses = new ConcurrentHashMap<>();

  public IdempotentWrites(Clock clock) {
    this.clock = clock;
  }

  public AccountingOperation wrap(AccountingOperation op) {
    return call -> {
      String key = call.request().header("idempotency-key").orElse(null);
      if (key == null || key.isEmpty()) return op.handle(call);
      if (key.length() > MAX_KEY_LENGTH)
        return Problems.validation(
            "Idempotency-Key must be " + MAX_KEY_LENGTH + " characters or fewer.");
      String scoped = call.clientId() + "|" + call.ledger().tenantId() + "|" + key;
      synchronized (locks.computeIfAbsent(scoped, k -> new Object())) {
        Stored s = responses.get(scoped);
        if (s != null && clock.instant().isBefore(s.at().plus(RETENTION)))
          return copy(s.response());
        SimResponse r = op.handle(call);
        // Only settled outcomes are replayed; a 5xx or 429 may be retried for real.
        if (r.status() < 500 && r.status() != 429)
          responses.put(scoped, new Stored(copy(r), clock.instant()));
        return r;
      }
    };
  }

  private static SimResponse copy(SimResponse r) {
    return new SimResponse(r.status(), new LinkedHashMap<>(r.headers()), r.body());
  }
}
