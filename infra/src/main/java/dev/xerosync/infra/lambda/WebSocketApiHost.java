package dev.xerosync.infra.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.infra.aws.iam.IamEnforcement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * A local API Gateway WebSocket API, as template.yaml declares one (AWS::ApiGatewayV2::Api with
 * $connect and $disconnect routes): clients connect to {@code ws://127.0.0.1:{port}/{stage}};
 * {@code $connect} gets the handshake's query and headers, and an answer other than 2xx refuses the
 * handshake; {@code $disconnect} runs when either side closes. Messages from clients match no route
 * (the template declares none) and are answered as API Gateway answers them.
 *
 * <p>Beside it, the management API on its own port, over the wire protocol the SDK's
 * ApiGatewayManagementApiClient speaks ({@code {endpoint}/{stage}/@connections/{id}}): POST sends
 * the body to the connection, GET describes it, DELETE closes it; an unknown connection is 410
 * GoneException. Each signed call is authorised as IAM would ({@code execute-api:ManageConnections}
 * on {@code arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/@connections/{id}},
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html).
 * Not modelled: the 10-minute idle and 2-hour connection limits, and frame size quotas.
 */
public final class WebSocketApiHost implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A management call as IAM saw it: whose access key, which resource. */
  public record Call(String accessKeyId, String action, String arn) {}

  private record Open(WebSocket socket, Instant connectedAt, String sourceIp, String userAgent) {}

  private final String apiId;
  private final String stage;
  private final Server server;
  private final HttpServer management;
  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>
      connect;
  private volatile RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>
      disconnect;
  private volatile boolean refusing;
  private volatile boolean holding;
  private volatile boolean losing;

  private WebSocketApiHost(String apiId, String stage) throws IOException {
    this.apiId = apiId;
    this.stage = stage;
    this.server = new Server(new InetSocketAddress("127.0.0.1", 0));
    this.management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    management.createContext("/", this::manage);
    management.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
  }

  /** Listens on free ports; routes are set once the functions exist ({@link #routes}). */
  public static WebSocketApiHost start(String apiId, String stage) throws Exception {
    WebSocketApiHost host = new WebSocketApiHost(apiId, stage);
    host.server.setReuseAddr(true);
    host.server.start();
    host.management.start();
    host.server.awaitStarted();
    return host;
  }

  @SuppressWarnings("unchecked")
  public void routes(Object connectHandler, Object disconnectHandler) {
    this.connect =
        (RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>) connectHandler;
    this.disconnect =
        (RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>)
            disconnectHandler;
  }

  /** What !GetAtt Api.ApiEndpoint is: the clients' URL without the stage. */
  public String apiEndpoint() {
    return "ws://127.0.0.1:" + server.getPort();
  }

  /** The management API's endpoint, stage included (AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI). */
  public URI managementEndpoint() {
    return URI.create("http://127.0.0.1:" + management.getAddress().getPort() + "/" + stage);
  }

  /** What !Ref of the API is. */
  public String apiId() {
    return apiId;
  }

  /** What !Ref of its stage is. */
  public String stage() {
    return stage;
  }

  /** The connection ids open now. */
  public List<String> connections() {
    return List.copyOf(open.keySet());
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * For tests of a socket that is down: drops every open connection (as a network failure would,
   * with no close handshake) and, while {@code refuse} holds, refuses new handshakes.
   */
  public void outage(boolean refuse) {
    refusing = refuse;
    if (refuse) {
      open.values().forEach(o -> o.socket().closeConnection(CloseFrame.ABNORMAL_CLOSE, "outage"));
    }
  }

  /**
   * For tests of a socket made late: while {@code hold} holds, new handshakes wait before their
   * {@code $connect} runs (as a slow {@code $connect} integration would keep them), for at most 30
   * s.
   */
  public void hold(boolean hold) {
    holding = hold;
  }

  /**
   * For tests of a notice lost on the way (a client's network dropping frames): while {@code lose}
   * holds, posts to a connection are answered 200 and not sent.
   */
  public void loseNotices(boolean lose) {
    losing = lose;
  }

  private final class Server extends WebSocketServer {
    private final java.util.concurrent.CountDownLatch started =
        new java.util.concurrent.CountDownLatch(1);

    Server(InetSocketAddress address) {
      super(address);
    }

    void awaitStarted() throws InterruptedException {
      started.await();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
        WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
      ServerHandshakeBuilder builder =
          super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
      URI uri = URI.create(request.getResourceDescriptor());
      if (refusing || !("/" + stage).equals(uri.getPath()) || connect == null) {
        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
      }
      for (long waited = 0; holding && waited < 30_000; waited += 20) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      String id = connectionId();
      Map<String, String> headers = new HashMap<>();
      request.iterateHttpFields().forEachRemaining(h -> headers.put(h, request.getFieldValue(h)));
      APIGatewayV2WebSocketEvent event = event("$connect", "CONNECT", id);
      event.setHeaders(headers);
      event.setQueryStringParameters(query(uri.getRawQuery()));
      APIGatewayV2WebSocketResponse answer = connect.handleRequest(event, null);
      if (answer == null || answer.getStatusCode() / 100 != 2) {
        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "Forbidden");
      }
      conn.setAttachment(id);
      open.put(
          id,
          new Open(
              conn,
              Instant.now(),
              conn.getRemoteSocketAddress().getAddress().getHostAddress(),
              headers.getOrDefault("User-Agent", "")));
      return builder;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      String id = conn.getAttachment();
      if (id != null && open.remove(id) != null && disconnect != null) {
        Thread.ofVirtual()
            .start(() -> disconnect.handleRequest(event("$disconnect", "DISCONNECT", id), null));
      }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      // No route but $connect and $disconnect: API Gateway answers a message so.
      conn.send(
          JSON.createObjectNode()
              .put("message", "Forbidden")
              .put("connectionId", String.valueOf((Object) conn.getAttachment()))
              .toString());
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  private APIGatewayV2WebSocketEvent event(String routeKey, String eventType, String id) {
    var context = new APIGatewayV2WebSocketEvent.RequestContext();
    context.setRouteKey(routeKey);
    context.setEventType(eventType);
    context.setConnectionId(id);
    context.setStage(stage);
    context.setApiId(apiId);
    context.setDomainName("127.0.0.1");
    context.setRequestTimeEpoch(System.currentTimeMillis());
    var event = new APIGatewayV2WebSocketEvent();
    event.setRequestContext(context);
    return event;
  }

  /** API Gateway's connection ids look like "L0SM9cOFvHcCIhw=": 10 random bytes, base64. */
  private static String connectionId() {
    byte[] b = new byte[10];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return q;
  }

  private void manage(HttpExchange x) throws IOException {
    try (x) {
      String prefix = "/" + stage + "/@connections/";
      String path = x.getRequestURI().getRawPath();
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!path.startsWith(prefix) || path.length() == prefix.length()) {
        answer(x, 403, "ForbiddenException", "Forbidden");
        return;
      }
      String id = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
      String method = x.getRequestMethod();
      String action = "execute-api:ManageConnections";
      String arn =
          "arn:aws:execute-api:"
              + LocalRoles.REGION
              + ":"
              + LocalRoles.ACCOUNT
              + ":"
              + apiId
              + "/"
              + stage
              + "/"
              + method
              + "/@connections/"
              + id;
      Matcher credential =
          CREDENTIAL.matcher(
              Optional.ofNullable(x.getRequestHeaders().getFirst("Authorization")).orElse(""));
      if (!credential.find()) {
        answer(x, 403, "ForbiddenException", "Missing Authentication Token");
        return;
      }
      calls.add(new Call(credential.group(1), action, arn));
      Optional<String> denial = IamEnforcement.denial(credential.group(1), action, arn);
      if (denial.isPresent()) {
        answer(
            x,
            403,
            "AccessDeniedException",
            "User is not authorized to perform: " + action + " on resource: " + arn);
        return;
      }
      Open o = open.get(id);
      if (o == null || !o.socket().isOpen()) {
        answer(x, 410, "GoneException", null);
        return;
      }
      switch (method) {
        case "POST" -> {
          try {
            if (!losing) {
              o.socket().send(new String(body, StandardCharsets.UTF_8));
            }
          } catch (WebsocketNotConnectedException e) {
            // Closed since the lookup above: gone, as API Gateway would say.
            answer(x, 410, "GoneException", null);
            return;
          }
          x.sendResponseHeaders(200, -1);
        }
        case "DELETE" -> {
          o.socket().close(CloseFrame.NORMAL);
          x.sendResponseHeaders(204, -1);
        }
        case "GET" -> {
          var out = JSON.createObjectNode();
          out.put("connectedAt", o.connectedAt().toString());
          out.put("lastActiveAt", o.connectedAt().toString());
          out.putObject("identity").put("sourceIp", o.sourceIp()).put("userAgent", o.userAgent());
          byte[] b = JSON.writeValueAsBytes(out);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, b.length);
          try (OutputStream os = x.getResponseBody()) {
            os.write(b);
          }
        }
        default -> answer(x, 403, "ForbiddenException", "Forbidden");
      }
    }
  }

  private static void answer(HttpExchange x, int status, String type, String message)
      throws IOException {
    byte[] b =
        message == null
            ? new byte[0]
            : JSON.writeValueAsBytes(JSON.createObjectNode().put("message", message));
    x.getResponseHeaders().add("x-amzn-ErrorType", type);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream os = x.getResponseBody()) {
        os.write(b);
      }
    }
  }

  @Override
  public void close() {
    open.values().forEach(o -> o.socket().closeConnection(CloseFrame.GOING_AWAY, "host stopped"));
    management.stop(0);
    try {
      server.stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
