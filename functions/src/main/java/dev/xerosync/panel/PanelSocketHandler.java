package dev.xerosync.panel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.PanelSockets;
import dev.xerosync.store.RecordLinks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The WebSocket API's {@code $connect} and {@code $disconnect} (template.yaml, PanelSocketApi): an
 * open panel listens for changes to the Xero contacts its record is linked to. {@code $connect}
 * checks the panel token as the REST panel routes do; it comes in the query ({@code ?token=}),
 * since a browser cannot set headers on a WebSocket. A refused token answers 401 and API Gateway
 * refuses the handshake. The connection then only hears that something changed; the panel fetches
 * with its own (renewed) token.
 */
public final class PanelSocketHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
  private static final Log LOG = Log.of(PanelSocketHandler.class);

  /** API Gateway closes every WebSocket connection after 2 hours (its quota), idle ones sooner. */
  static final Duration MAX_CONNECTION = Duration.ofHours(2);

  private final PanelTokens tokens;
  private final RecordLinks links;
  private final PanelSockets sockets;
  private final Clock clock;

  public PanelSocketHandler() {
    this(Environment.process());
    Priming.register(PanelSocketHandler.class, this::prime);
  }

  public PanelSocketHandler(Environment env) {
    this(PanelWiring.of(env));
  }

  public PanelSocketHandler(PanelWiring w) {
    this.tokens = w.tokens();
    this.links = w.links();
    this.sockets = w.sockets();
    this.clock = w.clock();
  }

  /** A connect with a token that cannot exist (one DynamoDB read) and a disconnect of nobody. */
  public void prime() {
    handleRequest(event("$connect", "priming", "xsp_priming_never_a_real_token"), null);
    handleRequest(event("$disconnect", "priming", null), null);
  }

  static APIGatewayV2WebSocketEvent event(
      String routeKey, String connectionId, @Nullable String token) {
    var context = new APIGatewayV2WebSocketEvent.RequestContext();
    context.setRouteKey(routeKey);
    context.setConnectionId(connectionId);
    var event = new APIGatewayV2WebSocketEvent();
    event.setRequestContext(context);
    if (token != null) {
      event.setQueryStringParameters(Map.of("token", token));
    }
    return event;
  }

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, @Nullable Context context) {
    var rc = event.getRequestContext();
    String route = rc == null ? "" : String.valueOf(rc.getRouteKey());
    String connectionId = rc == null ? null : rc.getConnectionId();
    try {
      if (connectionId == null) {
        throw Problem.invalid("no connection id");
      }
      switch (route) {
        case "$connect" -> connect(event, connectionId);
        case "$disconnect" -> sockets.close(connectionId);
        default -> throw new Problem(404, "No such route", "The panel socket takes no messages.");
      }
      return answer(200);
    } catch (Problem p) {
      return answer(p.status());
    } catch (RuntimeException e) {
      LOG.error("panel socket request failed", e, "route", route);
      return answer(500);
    }
  }

  private void connect(APIGatewayV2WebSocketEvent event, String connectionId) throws Problem {
    Map<String, String> q = event.getQueryStringParameters();
    PanelGrants.Grant grant = tokens.check(q == null ? null : q.get("token"));
    Set<String> contacts = new LinkedHashSet<>();
    links
        .links(grant.tenantId(), new RecordLinks.Record(grant.recordType(), grant.recordId()))
        .forEach(l -> contacts.add(l.contactId()));
    Instant now = clock.instant();
    sockets.open(grant.tenantId(), connectionId, contacts, now, now.plus(MAX_CONNECTION));
  }

  private static APIGatewayV2WebSocketResponse answer(int status) {
    var r = new APIGatewayV2WebSocketResponse();
    r.setStatusCode(status);
    return r;
  }
}
