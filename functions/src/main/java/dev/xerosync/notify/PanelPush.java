package dev.xerosync.notify;

import dev.xerosync.common.ApiGatewayConnections;
import dev.xerosync.common.ApiGatewayManagement;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.store.PanelSockets;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the open panels that show a contact that it changed: one notice per connection that
 * listens to the contact (see {@link PanelSockets}), posted through API Gateway's {@code
 * @connections}. The notice names no data; the panel fetches what it shows with its own token.
 *
 * <p>Off the hot path: a container reads a tenant's listeners (one strongly consistent Query) at
 * most once per {@link #LISTENERS_FRESH}, not once per change, so a tenant with no open panel
 * costs one Query per 20 s of syncing, whatever its changes. A connection made after that read
 * misses the notices of changes committed until the next read; the panel covers exactly that by
 * fetching again once its socket is open and again {@code PUSH_SETTLE_MS} (25 s, longer than
 * {@link #LISTENERS_FRESH}) later (panel/src/xero-invoice-panel.js).
 *
 * <p>410 Gone means the connection is closed, or that its {@code $connect} has not finished yet:
 * API Gateway answers 410 until then. A connection younger than {@link #CONNECTING} is therefore
 * kept (the panel fetches once open); an older one is forgotten. Any other failure is retried
 * {@link #ATTEMPTS} times when a retry can help (throttling, 5xx, network), then logged and
 * counted ({@code PanelNoticesUndelivered}); never thrown: the change is stored, and the panel
 * revalidates every 10 minutes while its socket is up.
 */
public final class PanelPush {
  private static final Log LOG = Log.of(PanelPush.class);
  static final String NOTICE = "{\"type\":\"changed\"}";

  /** How long a container trusts its read of a tenant's listeners (see the class comment). */
  static final Duration LISTENERS_FRESH = Duration.ofSeconds(20);

  /**
   * Longer than a {@code $connect} can take: API Gateway's integration timeout is 29 s
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
   */
  static final Duration CONNECTING = Duration.ofSeconds(30);

  static final int ATTEMPTS = 3;

  /** Tenants whose listeners a container keeps; past it the cache starts again (memory bound). */
  private static final int MAX_TENANTS = 10_000;

  private record Snapshot(List<PanelSockets.Listener> listeners, Instant readAt) {}

  private final PanelSockets sockets;
  private final ApiGatewayConnections connections;
  private final Clock clock;
  private final Duration backoff;
  private final Map<String, Snapshot> read = new ConcurrentHashMap<>();

  public PanelPush(PanelSockets sockets, ApiGatewayConnections connections, Clock clock) {
    this(sockets, connections, clock, Duration.ofMillis(100));
  }

  /** {@code backoff}: the wait before the first retry of a failed post, tripled after each. */
  PanelPush(
      PanelSockets sockets, ApiGatewayConnections connections, Clock clock, Duration backoff) {
    this.sockets = sockets;
    this.connections = connections;
    this.clock = clock;
    this.backoff = backoff;
  }

  /** The deployment's: to the WebSocket API at PANEL_SOCKET_ENDPOINT, when the function has it. */
  public static Optional<PanelPush> deployed(Environment env) {
    return env.optional("PANEL_SOCKET_ENDPOINT")
        .map(
            endpoint ->
                new PanelPush(
                    new PanelSockets(AwsClients.dynamoDb(env), env.required("TABLE_NAME")),
                    AwsClients.apiGatewayConnections(env, endpoint),
                    Clock.systemUTC()));
  }

  /** Notifies the panels of the tenant's contact; returns how many notices were delivered. */
  public int changed(String tenantId, String contactId) {
    int delivered = 0;
    try {
      Instant now = clock.instant();
      for (PanelSockets.Listener listener : listeners(tenantId, now)) {
        if (listener.contactId().equals(contactId) && post(tenantId, listener, now)) {
          delivered++;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("panels not notified of a change", e, "tenantId", tenantId);
      Metrics.count(Metrics.PANEL_NOTICES_UNDELIVERED, 1);
    }
    return delivered;
  }

  private List<PanelSockets.Listener> listeners(String tenantId, Instant now) {
    Snapshot seen = read.get(tenantId);
    if (seen != null && seen.readAt().plus(LISTENERS_FRESH).isAfter(now)) {
      return seen.listeners();
    }
    if (read.size() >= MAX_TENANTS) {
      read.clear();
    }
    List<PanelSockets.Listener> listeners = sockets.listeners(tenantId, now);
    read.put(tenantId, new Snapshot(listeners, now));
    return listeners;
  }

  /** Posts one notice, retrying what a retry can mend; true when it was delivered. */
  private boolean post(String tenantId, PanelSockets.Listener listener, Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return switch (connections.post(listener.connectionId(), NOTICE)) {
          case DELIVERED -> true;
          case GONE -> {
            if (listener.connectedAt().plus(CONNECTING).isBefore(now)) {
              forget(tenantId, listener);
            }
            yield false;
          }
        };
      } catch (RuntimeException e) {
        if (attempt < ATTEMPTS && retriable(e) && paused(attempt)) {
          continue;
        }
        LOG.warn(
            "panel notice not delivered",
            "tenantId",
            tenantId,
            "connectionId",
            listener.connectionId(),
            "attempts",
            Integer.toString(attempt),
            "error",
            e.getMessage());
        Metrics.count(Metrics.PANEL_NOTICES_UNDELIVERED, 1);
        return false;
      }
    }
  }

  /** Throttling (429), API Gateway's 5xx and the network can pass; a refusal (403, 400) cannot. */
  static boolean retriable(RuntimeException e) {
    if (e instanceof ApiGatewayManagement.Failure f) {
      return f.status() == 429 || f.status() >= 500;
    }
    return e instanceof UncheckedIOException;
  }

  private void forget(String tenantId, PanelSockets.Listener gone) {
    sockets.gone(tenantId, gone.contactId(), gone.connectionId());
    read.computeIfPresent(
        tenantId,
        (t, s) ->
            new Snapshot(s.listeners().stream().filter(l -> !l.equals(gone)).toList(), s.readAt()));
  }

  /** Waits before retry {@code attempt}; false when interrupted (the function is stopping). */
  private boolean paused(int attempt) {
    try {
      Thread.sleep(backoff.multipliedBy((long) Math.pow(3, attempt - 1)));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
