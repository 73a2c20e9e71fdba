package dev.xerosync.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.auth.TenantCredential;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.QueryChecks;
import dev.xerosync.common.Requests;
import dev.xerosync.notify.EventReplay;
import dev.xerosync.notify.EventTypes;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /tenants/{tenantId}/events}: replay of the tenant's business events. Behind the same
 * authorizer as the query routes, it checks that the API key was issued for the tenant in the path.
 */
public final class EventsHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(EventsHandler.class);
  private static final Set<String> PARAMS = Set.of("after", "types", "limit");
  private static final String NIL = "00000000-0000-0000-0000-000000000000";

  private final EventReplay replay;

  public EventsHandler() {
    this(Environment.process());
    Priming.register(EventsHandler.class, this::prime);
  }

  public EventsHandler(Environment env) {
    this(EventsWiring.replay(env));
  }

  public EventsHandler(EventReplay replay) {
    this.replay = replay;
  }

  /** Replays a tenant that cannot exist: routing, the credential, one Query and the body. */
  public void prime() {
    handleRequest(
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("GET")
            .withResource("/tenants/{tenantId}/events")
            .withPath("/tenants/" + NIL + "/events")
            .withPathParameters(Map.of("tenantId", NIL))
            .withRequestContext(TenantCredential.apiKey(NIL, null).requestContext()),
        null);
  }

  @Override
  @SuppressWarnings("try") // the scope is used through Log's thread context
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, @Nullable Context context) {
    try (var scope =
        Log.scope(
            Log.CORRELATION_ID,
            context == null ? null : context.getAwsRequestId(),
            Log.TENANT_ID,
            Requests.path(event, "tenantId"))) {
      String tenantId =
          TenantCredential.of(event)
              .apiKeyFor(QueryChecks.uuid("tenantId", Requests.path(event, "tenantId")));
      QueryChecks.onlyParams(event, PARAMS);
      return ApiResponses.json(
          200,
          replay.page(
              tenantId,
              Requests.query(event, "after"),
              types(Requests.query(event, "types")),
              QueryChecks.intParam(
                  "limit",
                  Requests.query(event, "limit"),
                  EventReplay.DEFAULT_LIMIT,
                  1,
                  EventReplay.MAX_LIMIT)));
    } catch (Problem e) {
      return e.response();
    } catch (RuntimeException e) {
      LOG.error("replay failed", e);
      return new Problem(500, "Internal error", "The request could not be served; retry later.")
          .response();
    }
  }

  /** A comma-separated list of business event types; null (every type) when absent. */
  static @Nullable Set<String> types(@Nullable String raw) throws Problem {
    if (raw == null) {
      return null;
    }
    Set<String> types = new LinkedHashSet<>();
    for (String t : raw.split(",")) {
      String type = t.trim();
      if (!EventTypes.BUSINESS.contains(type)) {
        throw Problem.invalid(
            "types: '"
                + QueryChecks.truncate(type)
                + "' is not an event type; use a comma-separated list of "
                + String.join(", ", EventTypes.BUSINESS));
      }
      types.add(type);
    }
    return types;
  }
}
