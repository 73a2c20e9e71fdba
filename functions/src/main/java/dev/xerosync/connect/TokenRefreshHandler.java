package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.notify.ConnectionAlerts;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.tokens.AccessTokens;
import dev.xerosync.tokens.TokenRefreshException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Daily: refreshes every live connection whose tokens were last refreshed more than {@code
 * PROACTIVE_REFRESH_AFTER_DAYS} (default 30) ago, so an idle tenant never reaches Xero's 60-day
 * refresh-token expiry, with a month of daily retries to spare. A refresh Xero refuses moves the
 * connection to NeedsReconnect with its reason and action, and notifies the SaaS: a revocation of
 * an idle tenant is found within a day, not when its next webhook arrives.
 */
public final class TokenRefreshHandler
    implements RequestHandler<ScheduledEvent, Map<String, Integer>> {
  private static final Log LOG = Log.of(TokenRefreshHandler.class);

  private final Connections connections;
  private final AccessTokens tokens;
  private final ConnectionAlerts alerts;
  private final Duration refreshAfter;
  private final Clock clock;

  public TokenRefreshHandler() {
    this(Environment.process());
    Priming.register(TokenRefreshHandler.class, this::prime);
  }

  /** Reads a connection that cannot exist: one DynamoDB read, no refresh, no lease. */
  public void prime() {
    connections.get("00000000-0000-0000-0000-000000000000");
  }

  public TokenRefreshHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private TokenRefreshHandler(ConnectWiring w) {
    this(
        w.connections(),
        w.tokens(),
        w.alerts(),
        Duration.ofDays(w.env().getInt("PROACTIVE_REFRESH_AFTER_DAYS", 30)),
        w.clock());
  }

  public TokenRefreshHandler(
      Connections connections,
      AccessTokens tokens,
      ConnectionAlerts alerts,
      Duration refreshAfter,
      Clock clock) {
    this.connections = connections;
    this.tokens = tokens;
    this.alerts = alerts;
    this.refreshAfter = refreshAfter;
    this.clock = clock;
  }

  @Override
  public Map<String, Integer> handleRequest(ScheduledEvent event, Context context) {
    Instant before = clock.instant().minus(refreshAfter);
    int checked = 0;
    int refreshed = 0;
    int broken = 0;
    int failed = 0;
    for (var entry : connections.tenants()) {
      ConnectionStatus status = entry.getValue();
      if (status == ConnectionStatus.DISCONNECTED || status == ConnectionStatus.NEEDS_RECONNECT) {
        continue;
      }
      String tenantId = entry.getKey();
      checked++;
      try {
        if (tokens.refreshIfRefreshedBefore(tenantId, before)) {
          refreshed++;
        }
      } catch (TokenRefreshException e) {
        if (e.isInvalidGrant() || "not_connected".equals(e.error())) {
          broken++;
          alerts.needsReconnect(tenantId, e.getMessage());
        } else {
          failed++;
          LOG.warn(
              "proactive refresh failed; tomorrow's run retries",
              "tenantId",
              tenantId,
              "error",
              e.error());
        }
      } catch (RuntimeException e) {
        failed++;
        LOG.error("proactive refresh failed; tomorrow's run retries", e, "tenantId", tenantId);
      }
    }
    Map<String, Integer> summary = new LinkedHashMap<>();
    summary.put("checked", checked);
    summary.put("refreshed", refreshed);
    summary.put("needsReconnect", broken);
    summary.put("failed", failed);
    LOG.info(
        "proactive refresh done",
        "checked",
        checked,
        "refreshed",
        refreshed,
        "needsReconnect",
        broken,
        "failed",
        failed);
    return summary;
  }
}
