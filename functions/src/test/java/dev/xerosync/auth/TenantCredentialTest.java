package dev.xerosync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.xerosync.common.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a handler makes of the TenantKey authorizer's context. */
class TenantCredentialTest {
  static final String A = "aaaaaaaa-1111-4111-8111-000000000001";
  static final String B = "bbbbbbbb-2222-4222-8222-000000000002";

  private static APIGatewayProxyRequestEvent through(TenantCredential credential) {
    return new APIGatewayProxyRequestEvent()
        .withHeaders(Map.of("x-api-key", "whatever the client sent"))
        .withRequestContext(credential.requestContext());
  }

  @Test
  void theAuthorizersContextComesBackAsTheCredential() throws Problem {
    var key = TenantCredential.apiKey(A, "0123456789abcdef01");
    assertThat(TenantCredential.of(through(key))).isEqualTo(key);
    assertThat(TenantCredential.of(through(key)).apiKeyFor(A)).isEqualTo(A);
    assertThat(TenantCredential.of(through(TenantCredential.panelToken(A))).isPanelToken())
        .isTrue();
  }

  @Test
  void aKeyOfAnotherTenantIs403() throws Problem {
    var key = TenantCredential.of(through(TenantCredential.apiKey(A, "k")));
    assertThatThrownBy(() -> key.apiKeyFor(B))
        .isInstanceOfSatisfying(
            Problem.class,
            p -> {
              assertThat(p.status()).isEqualTo(403);
              assertThat(p.detail()).contains(B);
            });
  }

  @Test
  void noContextOrAPanelTokenOnABackendRouteIs401() throws Problem {
    // The headers alone never count: only what the authorizer decided.
    var bare = new APIGatewayProxyRequestEvent().withHeaders(Map.of("x-api-key", "xsk_1_2"));
    assertThatThrownBy(() -> TenantCredential.of(bare))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
    var other = new APIGatewayProxyRequestEvent.ProxyRequestContext();
    other.setAuthorizer(Map.of("credential", "admin-token", "tenantId", A));
    assertThatThrownBy(
            () -> TenantCredential.of(new APIGatewayProxyRequestEvent().withRequestContext(other)))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
    var panel = TenantCredential.of(through(TenantCredential.panelToken(A)));
    assertThatThrownBy(() -> panel.apiKeyFor(A))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(401));
  }
}
