package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local host answers past API Gateway's payload, header-size and integration-time limits as it
 * does.
 */
class ApiGatewayLimitsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger invoked = new AtomicInteger();
  private static ApiGatewayHost host;

  @BeforeAll
  static void start() throws Exception {
    var echo =
        new ApiGatewayHost.Route(
            "POST",
            "/echo",
            "Echo",
            Duration.ofSeconds(5),
            (APIGatewayProxyRequestEvent e, Context c) -> {
              invoked.incrementAndGet();
              return new APIGatewayProxyResponseEvent()
                  .withStatusCode(200)
                  .withBody(Integer.toString(e.getBody().length()));
            },
            null,
            false);
    var slow =
        new ApiGatewayHost.Route(
            "GET",
            "/slow",
            "Slow",
            Duration.ofSeconds(5),
            (APIGatewayProxyRequestEvent e, Context c) -> {
              try {
                Thread.sleep(3_000);
              } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
              }
              return new APIGatewayProxyResponseEvent().withStatusCode(200);
            },
            null,
            false);
    host =
        ApiGatewayHost.start(
                0, "local", List.of(echo, slow), new ApiGatewayAuth("HEADER", Set.of()))
            .integrationTimeout(Duration.ofMillis(300));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  private static HttpResponse<String> post(int bytes) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(host.baseUrl() + "/echo"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes]))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBodyOverTenMegabytesIsRefusedWith413BeforeAnyFunctionRuns() throws Exception {
    int before = invoked.get();
    HttpResponse<String> refused = post(ApiGatewayHost.MAX_PAYLOAD_BYTES + 1);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.body()).isEqualTo("{\"message\":\"Request Too Long\"}");
    assertThat(invoked.get()).isEqualTo(before);

    HttpResponse<String> taken = post(1024);
    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(taken.body()).isEqualTo("1024");
  }

  private static HttpResponse<String> postWithHeader(String path, int valueBytes) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(host.baseUrl() + path))
            .header("Content-Type", "application/json")
            .header("X-Padding", "p".repeat(valueBytes))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void headersOverTenKilobytesWithTheRequestLineAreRefusedWith431BeforeAnyFunctionRuns()
      throws Exception {
    int before = invoked.get();
    HttpResponse<String> refused =
        postWithHeader("/echo", ApiGatewayHost.MAX_REQUEST_LINE_AND_HEADER_BYTES);
    assertThat(refused.statusCode()).isEqualTo(431);
    assertThat(refused.body())
        .isEqualTo("{\"message\":\"HTTP header is larger than 10240 bytes.\"}");
    assertThat(invoked.get()).isEqualTo(before);
    // Refused before routing, as an unknown route's request would be.
    assertThat(
            postWithHeader("/nowhere", ApiGatewayHost.MAX_REQUEST_LINE_AND_HEADER_BYTES)
                .statusCode())
        .isEqualTo(431);

    // 9 KB of one header value, with the request line and the other headers, is within the limit.
    HttpResponse<String> taken = postWithHeader("/echo", 9 * 1024);
    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(invoked.get()).isEqualTo(before + 1);
  }

  @Test
  void anIntegrationPastItsTimeoutIsA504() throws Exception {
    HttpResponse<String> late =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(host.baseUrl() + "/slow")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(late.statusCode()).isEqualTo(504);
    assertThat(late.body()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
  }
}
