package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.identity.IdentityStore;
import dev.xerosync.infra.xero.ledger.Ledger;
import dev.xerosync.infra.xero.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What every accounting call passes before its operation runs, in Xero's order: bearer token,
 * tenant connection, rate limits, then the gateway's URL length limit. Also stamps the limit
 * headers every response carries.
 */
public final class AccountingGate {
  /**
   * Xero's gateway answers 404 "The resource you're looking for cannot be found" once the full URL
   * passes about 2,091 characters (52 invoice GUIDs work, 53 fail: Xero-OpenAPI#534, xero-node#404,
   * Xero-NetStandard#471).
   */
  public static final int MAX_URL_LENGTH = 2091;

  private static final String REAL_ORIGIN = "https://api.xero.com";

  /** Xero's documented request size limit: 3.5 MB per request body. */
  public static final int MAX_BODY_BYTES = 3_500_000;

  /**
   * Hook for fault injection around the operation: may answer in its place (a fault before the
   * commit), delay it, or run it and then change or lose its response (a fault after the commit).
   */
  public interface Interceptor {
    SimResponse around(String tenantId, String clientId, SimRequest req, Proceed proceed)
        throws Exception;
  }

  /** Runs the operation itself (idempotency and the ledger commit happen here). */
  public interface Proceed {
    SimResponse run() throws Exception;
  }

  /** Internal header a fault sets on its response to name itself; stripped before sending. */
  public static final String FAULT_MARKER = "X-Sim-Fault";

  private final IdentityStore identity;
  private final Function<String, Ledger> ledgers;
  private final RateLimiter limiter;
  private final Map<String, AtomicInteger> callCounts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tooManyRequests = new ConcurrentHashMap<>();

  /** Per tenant, the targets of its latest GETs: bounded, so a long soak holds no history. */
  static final int READS_KEPT = 200;

  private final Map<String, java.util.Deque<String>> reads = new ConcurrentHashMap<>();
  private volatile Interceptor interceptor = (t, c, r, p) -> p.run();
  private volatile ReaderPass reader;
  private final List<WriteAttempt> writes = new CopyOnWriteArrayList<>();
  private final Clock clock;

  public AccountingGate(
      IdentityStore identity, Function<String, Ledger> ledgers, RateLimiter limiter, Clock clock) {
    this.identity = identity;
    this.clock = clock;
    this.ledgers = ledgers;
    this.limiter = limiter;
  }

  public void interceptor(Interceptor i) {
    this.interceptor = i;
  }

  /** Lets the simulator's read-only token through: its reads skip limits, faults and counters. */
  public void reader(ReaderPass pass) {
    this.reader = pass;
  }

  public int callCount(String tenantId) {
    AtomicInteger n = callCounts.get(tenantId);
    return n == null ? 0 : n.get();
  }

  /** The path and query of the tenant's latest GETs (at most READS_KEPT), oldest first. */
  public List<String> reads(String tenantId) {
    java.util.Deque<String> log = reads.get(tenantId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** 429 responses sent to this app, whether from the limits or from fault injection. */
  public int tooManyRequests(String clientId) {
    AtomicInteger n = tooManyRequests.get(clientId);
    return n == null ? 0 : n.get();
  }

  private SimResponse counted(String clientId, SimResponse r) {
    if (r.status() == 429) {
      tooManyRequests.computeIfAbsent(clientId, k -> new AtomicInteger()).incrementAndGet();
    }
    return r;
  }

  public Route guard(AccountingOperation op) {
    return req -> {
      ReaderPass pass = reader;
      if (pass != null && pass.holds(req)) {
        return correlate(pass.serve(req, op, ledgers));
      }
      String tenantId = req.header("xero-tenant-id").map(String::trim).orElse(null);
      if (tenantId != null) {
        callCounts
            .computeIfAbsent(tenantId.toLowerCase(), k -> new AtomicInteger())
            .incrementAndGet();
        if ("GET".equals(req.method())) {
          java.util.Deque<String> log =
              reads.computeIfAbsent(tenantId.toLowerCase(), k -> new java.util.ArrayDeque<>());
          synchronized (log) {
            log.addLast(req.rawTarget());
            if (log.size() > READS_KEPT) {
              log.removeFirst();
            }
          }
        }
      }
      String auth = req.header("authorization").orElse("");
      if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return correlate(Problems.unauthorized());
      }
      IdentityStore.AccessToken token;
      switch (identity.check(auth.substring(7).trim())) {
        case IdentityStore.Check.Valid v -> token = v.token();
        case IdentityStore.Check.Expired e -> {
          return correlate(Problems.tokenExpired(e.at()));
        }
        case IdentityStore.Check.Invalid i -> {
          return correlate(Problems.unauthorized());
        }
      }
      // A token reaches only the tenants its authorisation is still connected to: once the
      // connection is removed (DELETE /connections/{id}) a still-unexpired access token gets 403
      // AuthenticationUnsuccessful for that tenant. Xero: "Removing connections" in
      // https://developer.xero.com/documentation/guides/oauth2/auth-flow/ and 403 in
      // https://developer.xero.com/documentation/api/accounting/responsecodes
      Ledger ledger = tenantId == null ? null : ledgers.apply(tenantId.toLowerCase());
      if (ledger == null || !token.authorisation().connectedTo(ledger.tenantId())) {
        return correlate(Problems.forbidden());
      }
      String clientId = token.authorisation().clientId();
      RateLimiter.Admission adm = limiter.acquire(clientId, ledger.tenantId());
      if (!adm.admitted()) {
        SimResponse r =
            Problems.problem(429, "Too Many Requests", "TooManyRequests")
                .header("X-Rate-Limit-Problem", adm.problem())
                .header("Retry-After", Long.toString(adm.retryAfterSeconds()));
        return correlate(limits(counted(clientId, r), adm));
      }
      try {
        SimResponse[] ran = new SimResponse[1];
        Proceed proceed =
            () -> {
              if (REAL_ORIGIN.length() + req.rawTarget().length() > MAX_URL_LENGTH) {
                return Problems.notFound();
              }
              if (req.body().length > MAX_BODY_BYTES) {
                return Problems.problem(
                    413, "Request Entity Too Large", "The request body exceeds 3.5 MB");
              }
              String name = identity.app(clientId).map(IdentityStore.App::name).orElse(clientId);
              SimResponse done = op.handle(new AccountingCall(req, ledger, clientId, name));
              ran[0] = done;
              return done;
            };
        SimResponse r = interceptor.around(ledger.tenantId(), clientId, req, proceed);
        String fault = r.headers().remove(FAULT_MARKER);
        boolean replayed =
            ran[0] != null && ran[0].headers().containsKey(IdempotentWrites.REPLAY_MARKER);
        r.headers().remove(IdempotentWrites.REPLAY_MARKER);
        if (!"GET".equals(req.method())) {
          writes.add(
              new WriteAttempt(
                  clock.instant(),
                  clientId,
                  ledger.tenantId(),
                  req.method(),
                  req.path(),
                  req.header("idempotency-key").orElse(null),
                  fault,
                  replayed,
                  ran[0] != null && !replayed && ran[0].status() == 200,
                  r.status()));
        }
        return correlate(limits(counted(clientId, r), adm));
      } finally {
        limiter.release(clientId, ledger.tenantId());
      }
    };
  }

  /** Every write that passed authentication, oldest first. */
  public List<WriteAttempt> writes() {
    return List.copyOf(writes);
  }

  /** Overrides for forced 429s from fault injection, reported with the real remaining counts. */
  public SimResponse forced429(String clientId, String tenantId, String problem, long retryAfter) {
    RateLimiter.Admission adm = limiter.peek(clientId, tenantId);
    return limits(
        Problems.problem(429, "Too Many Requests", "TooManyRequests")
            .header("X-Rate-Limit-Problem", problem)
            .header("Retry-After", Long.toString(retryAfter)),
        adm);
  }

  private static SimResponse limits(SimResponse r, RateLimiter.Admission adm) {
    return r.header("X-MinLimit-Remaining", Integer.toString(Math.max(0, adm.minRemaining())))
        .header("X-DayLimit-Remaining", Integer.toString(Math.max(0, adm.dayRemaining())))
        .header("X-AppMinLimit-Remaining", Integer.toString(Math.max(0, adm.appMinRemaining())));
  }

  private static SimResponse correlate(SimResponse r) {
    return r.header("Xero-Correlation-Id", UUID.randomUUID().toString());
  }
}
