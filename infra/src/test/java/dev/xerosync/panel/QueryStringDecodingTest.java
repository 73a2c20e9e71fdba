package dev.xerosync.panel;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.xerosync.infra.lambda.ApiGatewayAuth;
import dev.xerosync.infra.lambda.ApiGatewayHost;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a handler receives for every query parameter of our API when a browser sends text with
 * spaces, '+', '%', '#', '&' and non-ASCII in it. API Gateway's REST API percent-decodes each value
 * once and keeps '+' as '+' (it is no form decoder: aws/aws-lambda-dotnet#482 shows a '+' arriving
 * in queryStringParameters, aws/serverless-java-container#146 a '%2B' arriving as '+'), so a client
 * must send encodeURIComponent's %20, never URLSearchParams' '+'. The panel does; this holds the
 * local host to the same decoding.
 */
class QueryStringDecodingTest {
  private static final List<String> AWKWARD =
      List.of("ORC 1001", "A+B", "100%", "#7", "R&D=1", "Müller 東京 ✓", " both  ends ", "a%2Bb");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicReference<APIGatewayProxyRequestEvent> received =
      new AtomicReference<>();
  private static ApiGatewayHost host;

  @BeforeAll
  static void start() throws Exception {
    var route =
        new ApiGatewayHost.Route(
            "GET",
            "/tenants/{tenantId}/records/{recordType}/{recordId}/invoices",
            "Recorder",
            Duration.ofSeconds(5),
            (APIGatewayProxyRequestEvent e, Context c) -> {
              received.set(e);
              return new APIGatewayProxyResponseEvent().withStatusCode(204);
            },
            null,
            false);
    host = ApiGatewayHost.start(0, "local", List.of(route), new ApiGatewayAuth("HEADER", Set.of()));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  /** JavaScript's encodeURIComponent, which the panel uses for every value. */
  static String encodeUriComponent(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%21", "!")
        .replace("%27", "'")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%7E", "~");
  }

  /** Every query parameter name in openapi.yaml, inline or under components. */
  static Set<String> queryParameters() throws Exception {
    try (InputStream in = QueryStringDecodingTest.class.getResourceAsStream("/openapi.yaml")) {
      JsonNode doc = new YAMLMapper().readTree(in);
      Set<String> names = new TreeSet<>();
      List<JsonNode> todo = new ArrayList<>(List.of(doc));
      while (!todo.isEmpty()) {
        JsonNode n = todo.removeLast();
        if ("query".equals(n.path("in").asText()) && n.hasNonNull("name")) {
          names.add(n.get("name").asText());
        }
        n.forEach(todo::add);
      }
      return names;
    }
  }

  private APIGatewayProxyRequestEvent send(String rawQuery) throws Exception {
    received.set(null);
    var r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        host.baseUrl() + "/tenants/t/records/contact/r1/invoices?" + rawQuery))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(204);
    return received.get();
  }

  @Test
  void everyQueryParameterArrivesAsTheBrowserEncodedIt() throws Exception {
    Set<String> names = queryParameters();
    assertThat(names).contains("number", "from", "to", "view", "status", "cursor", "limit");
    for (String name : names) {
      for (String value : AWKWARD) {
        var e = send(encodeUriComponent(name) + "=" + encodeUriComponent(value) + "&other=x");
        assertThat(e.getQueryStringParameters())
            .as("%s=%s", name, value)
            .containsEntry(name, value)
            .containsEntry("other", "x");
        assertThat(e.getMultiValueQueryStringParameters().get(name))
            .as("%s=%s", name, value)
            .containsExactly(value);
      }
    }
  }

  @Test
  void aPlusIsKeptAsAPlusAsApiGatewayDoes() throws Exception {
    // What URLSearchParams sends for "ORC 1001": the handler sees a '+', so a search never matches.
    assertThat(send("number=ORC+1001").getQueryStringParameters())
        .containsEntry("number", "ORC+1001");
    assertThat(send("number=ORC%201001").getQueryStringParameters())
        .containsEntry("number", "ORC 1001");
  }
}
