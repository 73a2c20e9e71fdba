package dev.xerosync.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.auth.PanelTokens;
import dev.xerosync.auth.RequestAuthorizer;
import dev.xerosync.common.Json;
import dev.xerosync.infra.xero.SimClock;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.PanelGrants;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls the query handler as API Gateway would: a concrete path is matched against the paths of our
 * OpenAPI document to find its resource template and path parameters, and the authorizer's decision
 * on the credentials becomes the request's {@code requestContext.authorizer}. A request the
 * authorizer refuses reaches the handler with no context, and the handler answers 401 itself (API
 * Gateway would answer with its own 401 first). Every exchange is recorded.
 */
final class QueryApi {
  record Exchange(
      String method,
      String template,
      Map<String, String> query,
      APIGatewayProxyResponseEvent response) {}

  record Response(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("body is not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  static final JsonNode OPENAPI = readOpenApi();
  private static final List<String> TEMPLATES = templates();

  final QueryTable table;
  final SimClock clock;
  final QueryHandler handler;
  final dev.xerosync.panel.PanelHandler panel;
  final dev.xerosync.events.EventsHandler events;
  final ApiKeys apiKeys;
  final RequestAuthorizer authorizer;
  final List<Exchange> exchanges = new ArrayList<>();

  QueryApi(QueryTable table, Instant now) {
    this.table = table;
    this.clock = SimClock.frozen(now);
    this.handler = new QueryHandler(QueryWiring.of(table.dynamo, table.name, clock));
    this.panel =
        new dev.xerosync.panel.PanelHandler(
            dev.xerosync.panel.PanelWiring.of(table.dynamo, table.name, clock));
    this.events =
        new dev.xerosync.events.EventsHandler(
            new dev.xerosync.notify.EventReplay(
                new dev.xerosync.store.EventLog(table.dynamo, table.name, clock)));
    this.apiKeys = new ApiKeys(table.dynamo, table.name, clock);
    this.authorizer =
        new RequestAuthorizer(
            new ApiKeys(table.dynamo, table.name, clock),
            new AdminAuth("admin-key-for-tests-only-0123456789", clock),
            new PanelTokens(
                new PanelGrants(table.dynamo, table.name),
                new ApiKeys(table.dynamo, table.name, clock),
                clock),
            PanelTokens.settings(
                new PanelGrants(table.dynamo, table.name),
                new ApiKeys(table.dynamo, table.name, clock),
                clock));
  }

  String newKey(String tenantId) {
    return apiKeys.create(tenantId, "test").secret();
  }

  Response get(String key, String path, String... queryPairs) {
    return call("GET", key, path, null, Map.of(), queryPairs);
  }

  Response call(
      String method,
      String key,
      String path,
      String body,
      Map<String, String> headers,
      String... queryPairs) {
    Map<String, String> query = new LinkedHashMap<>();
    for (int i = 0; i + 1 < queryPairs.length; i += 2) {
      query.put(queryPairs[i], queryPairs[i + 1]);
    }
    Map<String, String> h = new HashMap<>(headers);
    if (key != null) {
      h.put("x-api-key", key);
    }
    String template = null;
    Map<String, String> params = new HashMap<>();
    for (String t : TEMPLATES) {
      Matcher m = Pattern.compile("^" + t.replaceAll("\\{[^/]+}", "([^/]+)") + "$").matcher(path);
      if (m.matches()) {
        template = t;
        Matcher names = Pattern.compile("\\{([^/]+)}").matcher(t);
        int g = 1;
        while (names.find()) {
          params.put(names.group(1), m.group(g++));
        }
        break;
      }
    }
    if (template == null) {
      throw new AssertionError("no path of the OpenAPI document matches " + path);
    }
    var event =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod(method)
            .withResource(template)
            .withPath(path)
            .withPathParameters(params.isEmpty() ? null : params)
            .withQueryStringParameters(query.isEmpty() ? null : query)
            .withHeaders(h)
            .withBody(body);
    try {
      RequestAuthorizer.Decision d = authorizer.decide(template, h, query, params);
      if (d.allow()) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(d.context());
        event.setRequestContext(context);
      }
    } catch (RequestAuthorizer.Unauthorized refused) {
      // No context: the handler refuses the request.
    }
    // The document also describes the panel function's routes (template.yaml: PanelFunction) and
    // the event replay (EventsFunction).
    APIGatewayProxyResponseEvent r =
        template.startsWith("/panel")
                || template.contains("/panel-")
                || template.endsWith("/settings-tokens")
            ? panel.handleRequest(event, null)
            : template.endsWith("/events")
                ? events.handleRequest(event, null)
                : handler.handleRequest(event, null);
    exchanges.add(new Exchange(method, template, query, r));
    return new Response(
        r.getStatusCode(), r.getHeaders() == null ? Map.of() : r.getHeaders(), r.getBody());
  }

  /**
   * An operation served by another function, not here: the write API (tag {@code writes},
   * WriteApiFunction), an invoice's documents (tag {@code documents}, PanelDocumentsFunction, which
   * PanelDocumentsIntegrationTest calls) and the settings page's reads (tag {@code settings},
   * SettingsFunction, which SettingsTokensIntegrationTest calls).
   */
  static boolean isWriteOperation(JsonNode operation) {
    for (JsonNode tag : operation.path("tags")) {
      if (Set.of("writes", "documents", "settings").contains(tag.asText())) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode readOpenApi() {
    try (InputStream in = QueryHandler.class.getResourceAsStream("/openapi.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> templates() {
    List<String> t = new ArrayList<>();
    for (Iterator<String> it = OPENAPI.path("paths").fieldNames(); it.hasNext(); ) {
      t.add(it.next());
    }
    return t;
  }
}
