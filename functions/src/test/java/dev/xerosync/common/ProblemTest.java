package dev.xerosync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemTest {
  @Test
  void rendersAnRfc9457DocumentWithItsStatus() throws Exception {
    var response =
        new Problem(403, "Not your tenant", "This API key is scoped to \"one\" tenant.").response();
    assertThat(response.getStatusCode()).isEqualTo(403);
    assertThat(response.getHeaders())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Content-Type", "application/problem+json", "X-Content-Type-Options", "nosniff"));
    // Field order and escaping as the API has always answered.
    assertThat(response.getBody())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Not your tenant\",\"status\":403,"
                + "\"detail\":\"This API key is scoped to \\\"one\\\" tenant.\"}");
  }

  @Test
  void extraHeadersJoinButNeverReplaceTheContentType() {
    var response =
        Problem.invalid("limit must be 1 to 100")
            .response(Map.of("Cache-Control", "no-store", "Content-Type", "text/html"));
    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(response.getHeaders())
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("Content-Type", "application/problem+json");
    assertThat(response.getBody()).contains("\"title\":\"Invalid request\"");
  }

  @Test
  void theDetailIsTheSafeMessageAndNoStackIsKept() {
    Problem p = new Problem(409, "Connect link already used", "Each link works once.");
    assertThat(p.safeMessage()).isEqualTo("Each link works once.").isEqualTo(p.detail());
    assertThat(p.getStackTrace()).isEmpty();
  }

  @Test
  void everyTypedBodyForbidsSniffing() {
    assertThat(ApiResponses.json(200, Map.of("a", 1)).getHeaders())
        .containsEntry("X-Content-Type-Options", "nosniff");
    assertThat(HttpCaching.ok(null, "{}", "application/json", "no-store", Map.of()).getHeaders())
        .containsEntry("X-Content-Type-Options", "nosniff");
  }
}
