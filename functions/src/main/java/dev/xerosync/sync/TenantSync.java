package dev.xerosync.sync;

import dev.xerosync.common.Log;
import dev.xerosync.connect.AccessTokens;
import dev.xerosync.connect.TokenRefreshException;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.store.UpsertOutcome;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroApiException;
import dev.xerosync.xero.XeroInvoice;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Brings one tenant's changed invoices from Xero into the store. */
public final class TenantSync {
    private static final Log LOG = Log.of(TenantSync.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final Duration BASE_BACKOFF = Duration.ofMillis(200);

    private final XeroApi xero;
    private final AccessTokens tokens;
    private final InvoiceStore invoices;

    public TenantSync(XeroApi xero, AccessTokens tokens, InvoiceStore invoices) {
        this.xero = xero;
        this.tokens = tokens;
        this.invoices = invoices;
    }

    public Map<UpsertOutcome, Integer> syncInvoices(String tenantId, Collection<String> invoiceIds, String correlationId)
            throws SyncFailure {
        Map<UpsertOutcome, Integer> outcomes = new EnumMap<>(UpsertOutcome.class);
        if (invoiceIds.isEmpty()) {
            return outcomes;
        }
        List<XeroInvoice> fetched = fetch(tenantId, invoiceIds);
        for (XeroInvoice invoice : fetched) {
            outcomes.merge(invoices.upsert(tenantId, invoice), 1, Integer::sum);
        }
        LOG.info("invoices synced", "tenantId", tenantId, "requested", invoiceIds.size(), "fetched", fetched.size(),
                "outcomes", outcomes, "correlationId", correlationId);
        return outcomes;
    }

    private List<XeroInvoice> fetch(String tenantId, Collection<String> invoiceIds) throws SyncFailure {
        String token = accessToken(tenantId);
        boolean refreshed = false;
        for (int attempt = 1; ; attempt++) {
            try {
                return xero.invoicesByIds(tenantId, token, invoiceIds);
            } catch (XeroApiException e) {
                if (e.isTokenExpired() && !refreshed) {
                    refreshed = true;
                    token = replaceRejected(tenantId, token);
                    continue;
                }
                if (e.isForbidden()) {
                    throw SyncFailure.reconnectNeeded(tenantId, e);
                }
                if (e.isRateLimited()) {
                    throw SyncFailure.rateLimited(tenantId, e);
                }
                if (!e.isRetryable() || attempt >= MAX_ATTEMPTS) {
                    throw SyncFailure.transientFailure(tenantId, e);
                }
                sleep(backoff(attempt));
            }
        }
    }

    private String accessToken(String tenantId) throws SyncFailure {
        try {
            return tokens.accessToken(tenantId);
        } catch (TokenRefreshException e) {
            throw SyncFailure.fromToken(tenantId, e);
        }
    }

    private String replaceRejected(String tenantId, String token) throws SyncFailure {
        try {
            return tokens.replaceRejected(tenantId, token);
        } catch (TokenRefreshException e) {
            throw SyncFailure.fromToken(tenantId, e);
        }
    }

    /** Exponential backoff with full jitter, so that retrying workers spread out instead of colliding. */
    static Duration backoff(int attempt) {
        long cap = BASE_BACKOFF.toMillis() << Math.min(attempt, 6);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
