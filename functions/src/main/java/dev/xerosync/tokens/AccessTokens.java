package dev.xerosync.tokens;

import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.store.RefreshLease;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Hands out a valid access token per tenant. Tokens are cached in the container, so a warm worker
 * makes no Secrets Manager call per message. A refresh happens under the connection's {@link
 * RefreshLease}, so across every container exactly one caller refreshes while the others wait and
 * reread the secret; the new tokens are persisted before they are used, because Xero rotates the
 * refresh token on every use and a rotated token that was never stored is a lost connection.
 */
public final class AccessTokens implements TenantXero.Tokens {
  private static final Log LOG = Log.of(AccessTokens.class);

  /** Longer than a refresh can take (15 s HTTP timeout plus the secret write). */
  static final Duration LEASE_TTL = Duration.ofSeconds(30);

  /** Long enough for a crashed holder's lease to lapse and be taken over. */
  private static final Duration MAX_WAIT = LEASE_TTL.plusSeconds(5);

  private final TokenVault vault;
  private final XeroIdentity identity;
  private final RefreshLease lease;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * How long a cached token is served without looking at its secret again. A disconnect deletes the
   * secret, so a warm container drops a disconnected tenant's token within this bound (the worker's
   * container is not the one that disconnects, so {@link #forget} cannot reach it). Nothing depends
   * on it being short: the disconnect also removes the connection in Xero, which then refuses the
   * token with 403, and the store refuses every write for a disconnected tenant. It only bounds the
   * reads wasted on a disconnected tenant, at one Secrets Manager read per busy tenant per
   * container every 5 minutes (every 5 s cost about 17,000 paid reads a day per busy tenant).
   */
  static final Duration RECHECK = Duration.ofMinutes(5);

  private record Cached(ConnectionTokens tokens, Instant readAt) {}

  /** The tokens of a function that calls Xero, configured from its environment. */
  public static AccessTokens fromEnvironment(
      Environment env,
      SecretsManagerClient secrets,
      DynamoDbClient dynamo,
      String table,
      HttpClient http,
      Clock clock) {
    return new AccessTokens(
        new TokenVault(secrets, env.get("CONNECTION_SECRET_PREFIX", TokenVault.DEFAULT_PREFIX)),
        new XeroIdentity(
            http,
            URI.create(env.required("XERO_IDENTITY_BASE_URL")),
            env.required("XERO_CLIENT_ID"),
            AppSecrets.field(env, "clientSecret", "XERO_CLIENT_SECRET"),
            clock),
        new RefreshLease(dynamo, table, clock),
        clock);
  }

  public AccessTokens(TokenVault vault, XeroIdentity identity, RefreshLease lease, Clock clock) {
    this.vault = vault;
    this.identity = identity;
    this.lease = lease;
    this.clock = clock;
  }

  @Override
  public String accessToken(String tenantId) throws TokenRefreshException {
    Cached cached = cache.get(tenantId);
    Instant now = clock.instant();
    if (cached != null
        && now.isBefore(cached.readAt().plus(RECHECK))
        && !RefreshRules.accessTokenDue(cached.tokens(), now)) {
      return cached.tokens().accessToken();
    }
    return waitFor(tenantId, stored -> RefreshRules.accessTokenDue(stored, clock.instant()));
  }

  /**
   * Xero refused {@code rejectedToken} as expired. Refresh, unless the stored token has already
   * moved on (another caller refreshed), in which case that newer token is the answer.
   */
  @Override
  public String replaceRejected(String tenantId, String rejectedToken)
      throws TokenRefreshException {
    cache.remove(tenantId);
    return waitFor(
        tenantId, stored -> RefreshRules.rejectedTokenDue(stored, rejectedToken, clock.instant()));
  }

  /** {@link #obtain} waiting for the lease: it returns tokens or throws, never null. */
  private String waitFor(String tenantId, Predicate<ConnectionTokens> needsRefresh)
      throws TokenRefreshException {
    return Objects.requireNonNull(obtain(tenantId, needsRefresh, true)).accessToken();
  }

  /**
   * Refreshes a connection whose tokens were last refreshed before {@code before}, so that an idle
   * connection's refresh token never reaches Xero's 60-day expiry. Does not wait for a lease
   * someone else holds: that caller is refreshing already. Returns whether this call refreshed.
   */
  public boolean refreshIfRefreshedBefore(String tenantId, Instant before)
      throws TokenRefreshException {
    Predicate<ConnectionTokens> stale = stored -> RefreshRules.refreshedBefore(stored, before);
    ConnectionTokens stored = read(tenantId);
    if (!stale.test(stored)) {
      return false;
    }
    ConnectionTokens after = obtain(tenantId, stale, false);
    return after != null && !after.refreshedAt().isBefore(before);
  }

  /** Forgets the cached tokens of a connection that was disconnected or reconnected. */
  public void forget(String tenantId) {
    cache.remove(tenantId);
  }

  /**
   * Returns the stored tokens if {@code needsRefresh} says they are good; otherwise refreshes under
   * the lease, or waits for the lease holder's result. Null when not waiting and the lease is busy.
   */
  private @Nullable ConnectionTokens obtain(
      String tenantId, Predicate<ConnectionTokens> needsRefresh, boolean wait)
      throws TokenRefreshException {
    String owner = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    for (int attempt = 1; ; attempt++) {
      ConnectionTokens stored = read(tenantId);
      if (!needsRefresh.test(stored)) {
        remember(tenantId, stored);
        return stored;
      }
      if (lease.tryAcquire(tenantId, owner, LEASE_TTL)) {
        try {
          return refreshHolding(tenantId, needsRefresh);
        } finally {
          lease.release(tenantId, owner);
        }
      }
      if (!wait) {
        return null;
      }
      if (System.nanoTime() > deadline) {
        throw new TokenRefreshException(
            "refresh_busy",
            "another caller held the refresh lease for " + MAX_WAIT.toSeconds() + " s");
      }
      pause(attempt);
    }
  }

  private ConnectionTokens refreshHolding(String tenantId, Predicate<ConnectionTokens> needsRefresh)
      throws TokenRefreshException {
    // Reread under the lease: the previous holder may have stored new tokens just before releasing
    // it.
    ConnectionTokens stored = read(tenantId);
    if (!needsRefresh.test(stored)) {
      remember(tenantId, stored);
      return stored;
    }
    ConnectionTokens refreshed;
    try {
      refreshed = identity.refresh(stored.refreshToken());
    } catch (TokenRefreshException e) {
      if (!e.isInvalidGrant()) {
        throw e;
      }
      // Another caller may have rotated the token and stored the successor after our read (Xero
      // keeps
      // the old one usable for 30 minutes after rotation, so this is rare): reread before declaring
      // the connection broken.
      ConnectionTokens latest = read(tenantId);
      if (latest.refreshToken().equals(stored.refreshToken())) {
        throw new TokenRefreshException(
            "invalid_grant", RefreshRules.invalidGrantReason(stored, clock.instant()));
      }
      if (!needsRefresh.test(latest)) {
        remember(tenantId, latest);
        return latest;
      }
      refreshed = identity.refresh(latest.refreshToken());
    }
    // Persisted before use: if this write fails, nobody uses tokens the next caller cannot find.
    vault.write(tenantId, refreshed);
    remember(tenantId, refreshed);
    LOG.info(
        "tokens refreshed",
        "tenantId",
        tenantId,
        "accessTokenExpiresAt",
        refreshed.accessTokenExpiresAt());
    return refreshed;
  }

  private void remember(String tenantId, ConnectionTokens tokens) {
    cache.put(tenantId, new Cached(tokens, clock.instant()));
  }

  private ConnectionTokens read(String tenantId) throws TokenRefreshException {
    var stored = vault.read(tenantId);
    if (stored.isEmpty()) {
      // Disconnected: the cache never serves this tenant again.
      cache.remove(tenantId);
      throw new TokenRefreshException(
          "not_connected", "no stored connection (its token secret is missing)");
    }
    return stored.get();
  }

  /**
   * Waiting for the lease holder: short, jittered, growing pauses, so 20 waiters do not poll in
   * step.
   */
  private static void pause(int attempt) {
    long capMs = 25L << Math.min(attempt, 3);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(capMs / 2, capMs + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
