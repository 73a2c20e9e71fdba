package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.common.ApiGatewayConnections;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.PanelSockets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class PanelPushTest {
  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

  private final LocalTable table = LocalTable.get();
  private final PanelSockets sockets = new PanelSockets(table.dynamoDb(), table.name());
  private final String tenant = UUID.randomUUID().toString();
  private final List<String> posted = new ArrayList<>();
  private final Set<String> gone = new java.util.HashSet<>();

  /** Statuses answered before the usual 200 or 410, in order (a 500 that passes, a 403). */
  private final Deque<Integer> failing = new ArrayDeque<>();

  private final List<String> authorizations = new ArrayList<>();
  private boolean down;
  private int queries;
  private int attempts;

  /** API Gateway's @connections as the fake sees it: 410 for a gone connection, else 200. */
  private final SdkHttpClient http =
      new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
          return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
              attempts++;
              if (down) {
                throw new IOException("network down");
              }
              String path = request.httpRequest().encodedPath();
              String id = path.substring(path.lastIndexOf('/') + 1);
              authorizations.add(request.httpRequest().firstMatchingHeader("Authorization").get());
              byte[] body = request.contentStreamProvider().get().newStream().readAllBytes();
              posted.add(
                  request.httpRequest().method()
                      + " "
                      + path
                      + " "
                      + new String(body, StandardCharsets.UTF_8));
              int status =
                  failing.isEmpty() ? (gone.contains(id) ? 410 : 200) : failing.removeFirst();
              return HttpExecuteResponse.builder()
                  .response(
                      SdkHttpResponse.builder()
                          .statusCode(status)
                          .putHeader("x-amzn-ErrorType", status == 403 ? "ForbiddenException" : "")
                          .build())
                  .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[0])))
                  .build();
            }

            @Override
            public void abort() {}
          };
        }

        @Override
        public void close() {}
      };

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The table as the worker reads it, its Queries counted. */
  private final DynamoDbClient counted =
      (DynamoDbClient)
          Proxy.newProxyInstance(
              DynamoDbClient.class.getClassLoader(),
              new Class<?>[] {DynamoDbClient.class},
              (proxy, method, args) -> {
                if (method.getName().equals("query")) {
                  queries++;
                }
                try {
                  return method.invoke(table.dynamoDb(), args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });

  private final PanelPush push =
      new PanelPush(
          new PanelSockets(counted, table.name()),
          new ApiGatewayConnections(
              http,
              URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/live"),
              "us-east-1",
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret"))),
          clock,
          Duration.ZERO);

  /** A connection made {@code ago} before now, listening for the usual 2 hours. */
  private void open(String connectionId, Duration ago, String... contacts) {
    sockets.open(
        tenant, connectionId, Set.of(contacts), NOW.minus(ago), NOW.minus(ago).plusSeconds(7200));
  }

  @Test
  void aChangeReachesEveryPanelShowingTheContactAndNoOther() {
    open("connA", Duration.ofMinutes(5), "c1");
    open("connB", Duration.ofMinutes(5), "c1", "c2");
    open("connOld", Duration.ofHours(2).plusSeconds(1), "c1");

    assertThat(push.changed(tenant, "c1")).isEqualTo(2);
    assertThat(posted)
        .containsExactlyInAnyOrder(
            "POST /live/@connections/connA " + PanelPush.NOTICE,
            "POST /live/@connections/connB " + PanelPush.NOTICE);
    assertThat(authorizations)
        .allSatisfy(a -> assertThat(a).contains("/us-east-1/execute-api/aws4_request"));
    posted.clear();
    assertThat(push.changed(tenant, "c2")).isEqualTo(1);
    assertThat(posted).containsExactly("POST /live/@connections/connB " + PanelPush.NOTICE);
    posted.clear();
    assertThat(push.changed(UUID.randomUUID().toString(), "c1")).isZero();
    assertThat(posted).isEmpty();
  }

  @Test
  void aConnectionApiGatewaySaysIsGoneIsForgotten() {
    open("connGone", Duration.ofMinutes(5), "c1");
    open("connLive", Duration.ofMinutes(5), "c1");
    gone.add("connGone");

    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connLive");
    posted.clear();
    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(posted).containsExactly("POST /live/@connections/connLive " + PanelPush.NOTICE);
  }

  /**
   * The notice CI lost (issue #26): API Gateway answers 410 to a post while the connection's
   * $connect has not finished. Forgetting the connection then left its panel deaf for up to 2
   * hours; it is kept, and the next change reaches it.
   */
  @Test
  void aConnectionStillConnectingIsKept() {
    open("connNew", Duration.ofSeconds(1), "c1");
    gone.add("connNew");
    assertThat(push.changed(tenant, "c1")).isZero();

    gone.remove("connNew"); // $connect returned: API Gateway has the connection now
    posted.clear();
    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(posted).containsExactly("POST /live/@connections/connNew " + PanelPush.NOTICE);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connNew");
  }

  /** A socket stored just now is heard by the next change: nothing is cached between changes. */
  @Test
  void aSocketStoredJustNowHearsTheNextChange() {
    assertThat(push.changed(tenant, "c1")).isZero();
    open("connNew", Duration.ZERO, "c1");
    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(queries).isEqualTo(2);
  }

  @Test
  void aPostThatFailsForAMomentIsRetried() {
    open("connA", Duration.ofMinutes(5), "c1");
    failing.add(503);
    failing.add(429);

    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(posted).hasSize(3);
  }

  @Test
  void aRefusedPostIsNotRetriedNorThrownAndTheConnectionIsKept() {
    open("connA", Duration.ofMinutes(5), "c1");
    failing.add(403);

    assertThat(push.changed(tenant, "c1")).isZero();
    assertThat(posted).hasSize(1);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connA");
  }

  @Test
  void aDisconnectRemovesEveryContactOfTheConnection() {
    open("connX", Duration.ofMinutes(5), "c1", "c2");
    sockets.close("connX");
    sockets.close("never-opened");

    assertThat(sockets.listening(tenant, "c1", NOW)).isEmpty();
    assertThat(sockets.listening(tenant, "c2", NOW)).isEmpty();
    assertThat(push.changed(tenant, "c1")).isZero();
  }

  @Test
  void aFailedPostIsNeverThrown() {
    open("connA", Duration.ofMinutes(5), "c1");
    down = true;
    assertThat(push.changed(tenant, "c1")).isZero();
    assertThat(attempts).isEqualTo(PanelPush.ATTEMPTS);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connA");
  }
}
