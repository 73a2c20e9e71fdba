package dev.xerosync.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 7: the redirect URI Xero sends the browser to is never the client's to pick.
 */
class RequestsTest {

  private static APIGatewayProxyRequestEvent request(String domain, Map<String, String> headers) {
    var context = new ProxyRequestContext();
    context.setDomainName(domain);
    context.setStage("v1");
    return new APIGatewayProxyRequestEvent().withRequestContext(context).withHeaders(headers);
  }

  @Test
  void theBaseUrlComesFromApiGatewaysContextNotFromHostOrForwardedHeaders() {
    var forged =
        request(
            "abc123.execute-api.eu-west-1.amazonaws.com",
            Map.of(
                "Host", "evil.example",
                "X-Forwarded-Proto", "javascript",
                "X-Forwarded-Host", "evil.example"));

    assertThat(Requests.baseUrl(forged))
        .isEqualTo("https://abc123.execute-api.eu-west-1.amazonaws.com/v1");
  }

  @Test
  void onlyTheLocalHostsLoopbackDomainIsServedOverHttp() {
    assertThat(Requests.baseUrl(request("127.0.0.1:3000", Map.of())))
        .isEqualTo("http://127.0.0.1:3000/v1");
    assertThat(Requests.baseUrl(request("localhost.evil.example", Map.of())))
        .startsWith("https://");
  }

  @Test
  void withoutApiGatewaysDomainTheHandlerIsMisconfiguredNotGuessing() {
    var noContext = new APIGatewayProxyRequestEvent().withHeaders(Map.of("Host", "evil.example"));

    assertThatThrownBy(() -> Requests.baseUrl(noContext)).hasMessageContaining("PUBLIC_API_URL");
  }
}
