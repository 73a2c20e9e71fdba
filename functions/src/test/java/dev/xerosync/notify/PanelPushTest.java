package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.common.ApiGatewayConnections;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.PanelSockets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

class PanelPushTest {
  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

  private final LocalTable table = LocalTable.get();
  private final PanelSockets sockets = new PanelSockets(table.dynamoDb(), table.name());
  private final String tenant = UUID.randomUUID().toString();
  private final List<String> posted = new ArrayList<>();
  private final Set<String> gone = new java.util.HashSet<>();
  private final List<String> authorizations = new ArrayList<>();
  private boolean down;

  /** API Gateway's @connections as the fake sees it: 410 for a gone connection, else 200. */
  private final SdkHttpClient http =
      new SdkHttpClient() {
        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
          return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
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
              return HttpExecuteResponse.builder()
                  .response(
                      SdkHttpResponse.builder().statusCode(gone.contains(id) ? 410 : 200).build())
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

  private final PanelPush push =
      new PanelPush(
          sockets,
          new ApiGatewayConnections(
              http,
              URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/live"),
              "us-east-1",
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "secret"))),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aChangeReachesEveryPanelShowingTheContactAndNoOther() {
    Instant later = NOW.plus(Duration.ofHours(2));
    sockets.open(tenant, "connA", Set.of("c1"), later);
    sockets.open(tenant, "connB", Set.of("c1", "c2"), later);
    sockets.open(tenant, "connOld", Set.of("c1"), NOW.minusSeconds(1));

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
    sockets.open(tenant, "connGone", Set.of("c1"), NOW.plus(Duration.ofHours(2)));
    sockets.open(tenant, "connLive", Set.of("c1"), NOW.plus(Duration.ofHours(2)));
    gone.add("connGone");

    assertThat(push.changed(tenant, "c1")).isEqualTo(1);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connLive");
  }

  @Test
  void aDisconnectRemovesEveryContactOfTheConnection() {
    sockets.open(tenant, "connX", Set.of("c1", "c2"), NOW.plus(Duration.ofHours(2)));
    sockets.close("connX");
    sockets.close("never-opened");

    assertThat(sockets.listening(tenant, "c1", NOW)).isEmpty();
    assertThat(sockets.listening(tenant, "c2", NOW)).isEmpty();
    assertThat(push.changed(tenant, "c1")).isZero();
  }

  @Test
  void aFailedPostIsNeverThrown() {
    sockets.open(tenant, "connA", Set.of("c1"), NOW.plus(Duration.ofHours(2)));
    down = true;
    assertThat(push.changed(tenant, "c1")).isZero();
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("connA");
  }
}
