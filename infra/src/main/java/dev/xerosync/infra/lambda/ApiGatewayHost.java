package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local API Gateway REST API: turns each HTTP request into the proxy event API Gateway would send
 * (raw body, isBase64Encoded, path parameters, multi-value headers and query), invokes the
 * function's handler, and maps its response back. Unknown routes answer as API Gateway does: 403
 * "Missing Authentication Token".
 */
public final class ApiGatewayHost implements AutoCloseable {
  /** One API event of a function: method and resource path as template.yaml writes them. */
  public record Route(
      String method,
      String resourcePath,
      String functionName,
      Duration timeout,
      RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
      ApiGatewayAuth.Authorizer authorizer,
      boolean apiKeyRequired) {}

  /**
   * API Gateway's REST API quotas
   * (docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): a payload of at most 10 MB,
   * and an integration that answers within 29 s. Past them API Gateway answers itself, with the
   * REQUEST_TOO_LARGE (413) and INTEGRATION_TIMEOUT (504) gateway responses
   * (supported-gateway-response-types.html); the function may still be running.
   */
  static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

  static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

  /**
   * The same quota table's "total combined size of request line and header values": 10,240 bytes,
   * not adjustable. No gateway response type covers it (it is refused before any route is matched),
   * so the status and message are API Gateway's as callers report them: 431 and "HTTP header is
   * larger than 10240 bytes." (e.g.
   * ntsblog.homedev.com.au/index.php/2021/03/09/aws-api-gateway-http-header-is-larger-than-10240-bytes).
   */
  static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;

  private static final java.util.concurrent.ExecutorService INVOKER =
      Executors.newVirtualThreadPerTaskExecutor();

  /** Thrown while reading a body past {@link #MAX_PAYLOAD_BYTES}. */
  private static final class TooLarge extends IOException {
    TooLarge() {
      super("request body over API Gateway's 10 MB", null);
    }
  }

  private final HttpServer server;
  private volatile Duration integrationTimeout = INTEGRATION_TIMEOUT;
  private final String stage;
  private final List<Route> routes;
  private final ApiGatewayAuth auth;
  private final GatewayResponses gatewayResponses;

  private ApiGatewayHost(
      HttpServer server,
      String stage,
      List<Route> routes,
      ApiGatewayAuth auth,
      GatewayResponses gatewayResponses) {
    this.server = server;
    this.gatewayResponses = gatewayResponses;
    this.stage = stage;
    this.routes = List.copyOf(routes);
    this.auth = auth;
  }

  public static ApiGatewayHost start(
      int port, String stage, List<Route> routes, ApiGatewayAuth auth) throws IOException {
    return start(port, stage, routes, auth, GatewayResponses.none());
  }

  /** As above, adding the API's gateway response headers to every response API Gateway makes. */
  public static ApiGatewayHost start(
      int port,
      String stage,
      List<Route> routes,
      ApiGatewayAuth auth,
      GatewayResponses gatewayResponses)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    ApiGatewayHost host = new ApiGatewayHost(server, stage, routes, auth, gatewayResponses);
    server.createContext("/", host::serve);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return host;
  }

  /** A shorter integration timeout, so that a test can watch the 504 without waiting 29 s. */
  ApiGatewayHost integrationTimeout(Duration timeout) {
    this.integrationTimeout = timeout;
    return this;
  }

  /** Base URL including the stage, as API Gateway's invoke URL does. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (requestLineAndHeaderBytes(exchange) > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
        respond(
            exchange,
            431,
            new LinkedHashMap<>(Map.of("Content-Type", List.of("application/json"))),
            bytes("{\"message\":\"HTTP header is larger than 10240 bytes.\"}"));
        return;
      }
      String rawPath = exchange.getRequestURI().getRawPath();
      String stagePrefix = "/" + stage;
      if (!rawPath.equals(stagePrefix) && !rawPath.startsWith(stagePrefix + "/")) {
        gatewayError(exchange, 403, "MISSING_AUTHENTICATION_TOKEN", Map.of(), "\"Forbidden\"");
        return;
      }
      String path = rawPath.substring(stagePrefix.length());
      path = path.isEmpty() ? "/" : path;
      for (Route route : routes) {
        Map<String, String> params = match(route.resourcePath(), path);
        if (params != null && route.method().equalsIgnoreCase(exchange.getRequestMethod())) {
          invoke(exchange, route, path, params);
          return;
        }
      }
      gatewayError(
          exchange,
          403,
          "MISSING_AUTHENTICATION_TOKEN",
          Map.of(),
          "\"Missing Authentication Token\"");
    }
  }

  /**
   * The request line as sent (method, target, version) and every header value, in bytes: the JDK
   * server reads each header byte as one ISO-8859-1 character, and the target is ASCII.
   */
  static long requestLineAndHeaderBytes(HttpExchange exchange) {
    long size =
        (exchange.getRequestMethod()
                + " "
                + exchange.getRequestURI()
                + " "
                + exchange.getProtocol())
            .length();
    for (List<String> values : exchange.getRequestHeaders().values()) {
      for (String value : values) {
        size += value.length();
      }
    }
    return size;
  }

  private void invoke(
      HttpExchange exchange, Route route, String path, Map<String, String> pathParams)
      throws IOException {
    APIGatewayProxyRequestEvent event;
    try {
      event = toEvent(exchange, route, path, pathParams);
    } catch (TooLarge e) {
      gatewayError(exchange, 413, "REQUEST_TOO_LARGE", Map.of(), "\"Request Too Long\"");
      return;
    }
    ApiGatewayAuth.Outcome outcome =
        auth.check(
            route.authorizer(),
            route.apiKeyRequired(),
            new ApiGatewayAuth.Request(
                event.getHttpMethod(),
                route.resourcePath(),
                path,
                "arn:aws:execute-api:us-east-1:000000000000:local/"
                    + stage
                    + "/"
                    + event.getHttpMethod()
                    + path,
                event.getHeaders(),
                event.getQueryStringParameters(),
                event.getPathParameters()));
    if (outcome instanceof ApiGatewayAuth.Refused refused) {
      gatewayError(
          exchange,
          refused.status(),
          refused.responseType(),
          Map.of(
              "x-amzn-ErrorType",
              List.of(
                  switch (refused.status()) {
                    case 401 -> "UnauthorizedException";
                    // Usage-plan throttle and quota (THROTTLED, QUOTA_EXCEEDED).
                    case 429 ->
                        "QUOTA_EXCEEDED".equals(refused.responseType())
                            ? "LimitExceededException"
                            : "TooManyRequestsException";
                    default -> "AccessDeniedException";
                  })),
          refused.message() == null ? "null" : "\"" + refused.message() + "\"");
      return;
    }
    event.getRequestContext().setAuthorizer(((ApiGatewayAuth.Passed) outcome).authorizerContext());
    APIGatewayProxyResponseEvent response;
    var call =
        CompletableFuture.supplyAsync(
            () ->
                route
                    .handler()
                    .handleRequest(event, new LocalContext(route.functionName(), route.timeout())),
            INVOKER);
    try {
      response = call.get(integrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      gatewayError(
          exchange, 504, "INTEGRATION_TIMEOUT", Map.of(), "\"Endpoint request timed out\"");
      return;
    } catch (ExecutionException e) {
      System.err.println("[api] " + route.functionName() + " failed: " + e.getCause());
      gatewayError(exchange, 502, "DEFAULT_5XX", Map.of(), "\"Internal server error\"");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      gatewayError(exchange, 502, "DEFAULT_5XX", Map.of(), "\"Internal server error\"");
      return;
    }
    if (response == null || response.getStatusCode() == null) {
      gatewayError(exchange, 502, "DEFAULT_5XX", Map.of(), "\"Internal server error\"");
      return;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((k, v) -> headers.put(k, List.of(v)));
    }
    if (response.getMultiValueHeaders() != null) {
      response
          .getMultiValueHeaders()
          .forEach((k, v) -> headers.computeIfAbsent(k, x -> new ArrayList<>()));
      response
          .getMultiValueHeaders()
          .forEach(
              (k, v) -> {
                List<String> merged = new ArrayList<>(headers.get(k));
                merged.addAll(v);
                headers.put(k, merged);
              });
    }
    String body = response.getBody() == null ? "" : response.getBody();
    byte[] payload =
        Boolean.TRUE.equals(response.getIsBase64Encoded())
            ? Base64.getDecoder().decode(body)
            : bytes(body);
    respond(exchange, response.getStatusCode(), headers, payload);
  }

  private APIGatewayProxyRequestEvent toEvent(
      HttpExchange exchange, Route route, String path, Map<String, String> pathParams)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              // API Gateway passes header names as the client sent them; the JDK server capitalises
              // them.
              headers.put(name, values.get(values.size() - 1));
              multiHeaders.put(name, List.copyOf(values));
            });
    Map<String, List<String>> multiQuery = parseQuery(exchange.getRequestURI().getRawQuery());
    Map<String, String> query = new LinkedHashMap<>();
    multiQuery.forEach((k, v) -> query.put(k, v.get(v.size() - 1)));
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null
        && length.matches("\\d{1,18}")
        && Long.parseLong(length) > MAX_PAYLOAD_BYTES) {
      throw new TooLarge();
    }
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
    }
    if (raw.length > MAX_PAYLOAD_BYTES) {
      throw new TooLarge();
    }
    String contentType =
        headers.entrySet().stream()
            .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse("")
            .toLowerCase(Locale.ROOT);
    boolean text =
        contentType.isEmpty()
            || contentType.startsWith("text/")
            || contentType.contains("json")
            || contentType.contains("xml")
            || contentType.contains("x-www-form-urlencoded");

    var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
    identity.setSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
    identity.setUserAgent(headers.getOrDefault("User-agent", null));
    var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setAccountId("000000000000");
    context.setApiId("local");
    context.setStage(stage);
    context.setDomainName("127.0.0.1:" + server.getAddress().getPort());
    context.setRequestId(UUID.randomUUID().toString());
    context.setHttpMethod(exchange.getRequestMethod());
    context.setResourcePath(route.resourcePath());
    context.setPath("/" + stage + path);
    context.setIdentity(identity);
    context.setProtocol(exchange.getProtocol());
    context.setRequestTimeEpoch(System.currentTimeMillis());

    return new APIGatewayProxyRequestEvent()
        .withResource(route.resourcePath())
        .withPath(path)
        .withHttpMethod(exchange.getRequestMethod())
        .withHeaders(headers)
        .withMultiValueHeaders(multiHeaders)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery)
        .withPathParameters(pathParams.isEmpty() ? null : pathParams)
        .withRequestContext(context)
        .withBody(
            raw.length == 0
                ? null
                : text
                    ? new String(raw, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(raw))
        .withIsBase64Encoded(raw.length != 0 && !text);
  }

  /** Matches a request path against a resource path with {param} and {proxy+} segments. */
  static Map<String, String> match(String resourcePath, String path) {
    String[] want = resourcePath.split("/", -1);
    String[] got = path.split("/", -1);
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      String w = want[i];
      if (w.startsWith("{") && w.endsWith("+}")) {
        if (i >= got.length) {
          return null;
        }
        params.put(
            w.substring(1, w.length() - 2),
            decode(String.join("/", List.of(got).subList(i, got.length))));
        return params;
      }
      if (i >= got.length) {
        return null;
      }
      if (w.startsWith("{") && w.endsWith("}")) {
        if (got[i].isEmpty()) {
          return null;
        }
        params.put(w.substring(1, w.length() - 1), decode(got[i]));
      } else if (!w.equals(got[i])) {
        return null;
      }
    }
    return want.length == got.length ? params : null;
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A response API Gateway makes itself: its JSON message, plus the headers the API's
   * GatewayResponses give its type (CORS, so a browser reads a refusal instead of a network error).
   */
  private void gatewayError(
      HttpExchange exchange,
      int status,
      String type,
      Map<String, List<String>> extra,
      String messageJson)
      throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of("application/json"));
    headers.putAll(extra);
    headers.putAll(
        gatewayResponses.headers(
            type, status, name -> exchange.getRequestHeaders().getFirst(name)));
    respond(exchange, status, headers, bytes("{\"message\":" + messageJson + "}"));
  }

  private static void respond(
      HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().put(k, new ArrayList<>(v)));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
