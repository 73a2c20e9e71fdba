package dev.xerosync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.testsupport.AdminTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Admin tokens as docs/connect.md's recipe mints them, refused or accepted by AdminAuth. */
class AdminAuthTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  @Test
  void adminTokensLivingLongerThanAnHourAreRefused() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AdminAuth auth = new AdminAuth("admin-key-for-tests-only-0123456789", clock);
    for (Duration life : new Duration[] {Duration.ofMinutes(61), Duration.ofDays(3650)}) {
      String token =
          AdminTokens.mint(
              "admin-key-for-tests-only-0123456789", "acme", "a@acme.test", NOW.plus(life));
      var request =
          new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent()
              .withHeaders(java.util.Map.of("authorization", "Bearer " + token));
      assertThatThrownBy(() -> auth.authenticate(request, "acme"))
          .isInstanceOf(dev.xerosync.common.Problem.class)
          .hasMessageContaining("minutes ahead");
    }
  }

  @Test
  void adminTokensAreBoundToOneSaasTenantAndExpire() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AdminAuth auth = new AdminAuth("admin-key-for-tests-only-0123456789", clock);
    String token =
        AdminTokens.mint(
            "admin-key-for-tests-only-0123456789",
            "acme",
            "a@acme.test",
            NOW.plus(Duration.ofMinutes(5)));
    var request =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent()
            .withHeaders(java.util.Map.of("authorization", "Bearer " + token));
    assertThat(auth.authenticate(request, "acme").email()).isEqualTo("a@acme.test");
    assertThatThrownBy(() -> auth.authenticate(request, "globex"))
        .isInstanceOf(dev.xerosync.common.Problem.class)
        .hasMessageContaining("'acme'");
    var keyed =
        new com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent()
            .withHeaders(java.util.Map.of("X-Admin-Key", "admin-key-for-tests-only-0123456789"));
    assertThat(auth.authenticate(keyed, "globex").via()).isEqualTo("admin-api-key");
  }
}
