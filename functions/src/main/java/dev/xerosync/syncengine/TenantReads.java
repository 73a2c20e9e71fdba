package dev.xerosync.syncengine;

import dev.xerosync.tokens.TenantXero;
import dev.xerosync.tokens.TokenRefreshException;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroReads;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sync's one way to read Xero for a tenant: the tenant's token, refreshed once on 401 (by
 * {@link TenantXero}), retried with backoff on 5xx and timeouts, and every failure that is left
 * mapped to a {@link SyncFailure}. Change sync, initial sync and reconciliation all read through
 * it.
 */
final class TenantReads {
  static final int MAX_ATTEMPTS = 4;

  /** One read with the token given. */
  @FunctionalInterface
  interface Read<T> {
    T apply(XeroReads xero, String accessToken) throws XeroApiException;
  }

  /** Waits between attempts: {@link Thread#sleep} in production, nothing in unit tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d);

    Sleeper THREAD =
        d -> {
          try {
            Thread.sleep(d);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
  }

  private final XeroReads xero;
  private final TenantXero access;
  private final Sleeper sleeper;

  TenantReads(XeroReads xero, TenantXero.Tokens tokens, Sleeper sleeper) {
    this.xero = xero;
    this.access = new TenantXero(tokens);
    this.sleeper = sleeper;
  }

  /** For cutting id lists as the reads send them; no call is made. */
  XeroReads xero() {
    return xero;
  }

  <T> T call(String tenantId, Read<T> read) throws SyncFailure {
    for (int attempt = 1; ; attempt++) {
      try {
        return access.call(tenantId, token -> read.apply(xero, token));
      } catch (TokenRefreshException e) {
        throw SyncFailure.fromToken(tenantId, e);
      } catch (XeroApiException e) {
        if (e.isForbidden()) {
          throw SyncFailure.reconnectNeeded(tenantId, e);
        }
        if (e.isRateLimited()) {
          throw SyncFailure.rateLimited(tenantId, e);
        }
        if (!e.isRetryable() || attempt >= MAX_ATTEMPTS) {
          throw SyncFailure.transientFailure(tenantId, e);
        }
        sleeper.sleep(Backoff.delay(attempt, ThreadLocalRandom.current()));
      }
    }
  }
}
