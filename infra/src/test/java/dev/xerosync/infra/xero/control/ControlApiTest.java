package dev.xerosync.infra.xero.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.LedgerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control API's door: its token only, and every refusal an RFC 9457 problem. */
class ControlApiTest {
  static final byte[] CONTROL = "c".repeat(43).getBytes(StandardCharsets.UTF_8);
  static final byte[] READER = "r".repeat(43).getBytes(StandardCharsets.UTF_8);

  static SimRequest bearer(String token) {
    return new SimRequest(
        "POST",
        "/_sim/clock",
        "/_sim/clock",
        Map.of(),
        token == null ? Map.of() : Map.of("authorization", List.of("Bearer " + token)),
        new byte[0],
        List.of());
  }

  static SimResponse call(String token, Route route) throws Exception {
    return ControlApi.guarded(CONTROL, READER, route).handle(bearer(token));
  }

  static final Route OK = req -> SimResponse.empty(204);

  @Test
  void onlyTheControlTokenPasses() throws Exception {
    assertThat(call("c".repeat(43), OK).status()).isEqualTo(204);
    assertThat(call(null, OK).status()).isEqualTo(401);
    assertThat(call("c".repeat(42), OK).status()).isEqualTo(401);
    assertThat(call("c".repeat(44), OK).status()).isEqualTo(401);
    SimResponse reader = call("r".repeat(43), OK);
    assertThat(reader.status()).isEqualTo(403);
    assertThat(new String(reader.body(), StandardCharsets.UTF_8)).contains("read-only");
  }

  @Test
  void refusalsAreProblemsThatNeverEchoTheToken() throws Exception {
    SimResponse r = call("wrong-token-value", OK);
    assertThat(r.headers()).containsEntry("Content-Type", "application/problem+json");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(body).contains("\"status\":401").doesNotContain("wrong-token-value");
    assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer");
  }

  @Test
  void theBooksRefusalIs422InXerosWordsAndBadArgumentsAre400() throws Exception {
    String token = "c".repeat(43);
    SimResponse refused =
        call(
            token,
            req -> {
              throw new LedgerException("Payment amount exceeds the amount outstanding");
            });
    assertThat(refused.status()).isEqualTo(422);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8))
        .contains("Payment amount exceeds the amount outstanding");
    SimResponse bad =
        call(
            token,
            req -> {
              throw new IllegalArgumentException("rate must be within 0..1: 2.0");
            });
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void aPathNoRouteTakesIs404AndAMethodItDoesNotTakeIs405NamingThoseItDoes() {
    SimResponse unknown = ControlApi.noRoute(bearer(null), List.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.headers()).containsEntry("Content-Type", "application/problem+json");
    SimResponse wrongMethod = ControlApi.noRoute(bearer(null), List.of("GET", "PUT"));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.headers())
        .containsEntry("Content-Type", "application/problem+json")
        .containsEntry("Allow", "GET, PUT");
    assertThat(new String(wrongMethod.body(), StandardCharsets.UTF_8))
        .contains("\"status\":405")
        .contains("GET, PUT, not POST");
  }
}
