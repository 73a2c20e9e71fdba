package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xero's Idempotency-Key (developer.xero.com, "Idempotent requests"): accepted on POST, PUT and
 * PATCH, ignored elsewhere; at most 128 characters; kept 6 minutes per app (and organisation); a
 * replay gets the first response back, errors included, with no second effect; the same key with
 * another method, URL or body is a 400 "Idempotency Key: KEY is used with a different request.". It
 * runs inside the gate, so a replay has already passed (and been counted by) rate limiting.
 * Concurrent repeats wait for the first to finish. Responses that never reached the operation (a
 * 429, a 5xx before the commit) are not stored: they were never processed.
 */
public final class IdempotentWrites {
  public static final Duration RETENTION = Duration.ofMinutes(6);
  public static final int MAX_KEY_LENGTH = 128;

  /** Internal marker the gate strips: this response is a replay of a stored one. */
  public static final String REPLAY_MARKER = "X-Sim-Idempotent-Replay";

  private static final List<String> METHODS = List.of("POST", "PUT", "PATCH");

  private record Stored(String fingerprint, SimResponse response, Instant at) {}

  private final Clock clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<String, Stored> responses = new ConcurrentHashMap<>();

  public IdempotentWrites(Clock clock) {
    this.clock = clock;
  }

  public AccountingOperation wrap(AccountingOperation op) {
    return call -> {
      var req = call.request();
      String key = req.header("idempotency-key").orElse(null);
      if (key == null || key.isEmpty() || !METHODS.contains(req.method())) {
        return op.handle(call);
      }
      if (key.length() > MAX_KEY_LENGTH) {
        return Problems.validation(XeroMessages.idempotencyKeyTooLong(MAX_KEY_LENGTH));
      }
      String scoped = call.clientId() + "|" + call.ledger().tenantId() + "|" + key;
      String fingerprint = req.method() + " " + req.rawTarget() + " " + sha256(req.body());
      synchronized (locks.computeIfAbsent(scoped, k -> new Object())) {
        Instant now = clock.instant();
        Stored s = responses.get(scoped);
        if (s != null && now.isBefore(s.at().plus(RETENTION))) {
          if (!s.fingerprint().equals(fingerprint)) {
            return Problems.validation(XeroMessages.idempotencyKeyReused(key));
          }
          return copy(s.response()).header(REPLAY_MARKER, "true");
        }
        SimResponse r = op.handle(call);
        if (r.status() != 429 && r.status() < 500) {
          responses.put(scoped, new Stored(fingerprint, copy(r), now));
        }
        return r;
      }
    };
  }

  private static String sha256(byte[] body) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SimResponse copy(SimResponse r) {
    return new SimResponse(r.status(), new LinkedHashMap<>(r.headers()), r.body());
  }
}
