package dev.xerosync.connect;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out a valid access token per tenant. Tokens are cached in the container so a warm worker makes
 * no Secrets Manager call per message; a refresh is persisted before the new token is used, because
 * Xero rotates the refresh token and losing the new one would break the connection.
 */
public final class AccessTokens {
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

    private final TokenVault vault;
    private final XeroIdentity identity;
    private final Clock clock;
    private final Map<String, ConnectionTokens> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public AccessTokens(TokenVault vault, XeroIdentity identity, Clock clock) {
        this.vault = vault;
        this.identity = identity;
        this.clock = clock;
    }

    public String accessToken(String tenantId) throws TokenRefreshException {
        ConnectionTokens cached = cache.get(tenantId);
        if (cached != null && cached.accessTokenValidFor(EXPIRY_MARGIN, clock.instant())) {
            return cached.accessToken();
        }
        return refreshUnless(tenantId, null);
    }

    /**
     * Xero refused {@code rejectedToken} as expired. Refresh, unless the stored token has already moved
     * on (another caller refreshed), in which case that newer token is the answer.
     */
    public String replaceRejected(String tenantId, String rejectedToken) throws TokenRefreshException {
        cache.remove(tenantId);
        return refreshUnless(tenantId, rejectedToken);
    }

    private String refreshUnless(String tenantId, String rejectedToken) throws TokenRefreshException {
        synchronized (lockFor(tenantId)) {
            ConnectionTokens stored = vault.read(tenantId).orElseThrow(() ->
                    new TokenRefreshException("not_connected", "tenant " + tenantId + " has no stored connection"));
            boolean rejected = stored.accessToken().equals(rejectedToken);
            if (!rejected && stored.accessTokenValidFor(EXPIRY_MARGIN, clock.instant())) {
                cache.put(tenantId, stored);
                return stored.accessToken();
            }
            ConnectionTokens refreshed = identity.refresh(stored.refreshToken());
            vault.write(tenantId, refreshed);
            cache.put(tenantId, refreshed);
            return refreshed.accessToken();
        }
    }

    private Object lockFor(String tenantId) {
        return locks.computeIfAbsent(tenantId, k -> new Object());
    }
}
