package dev.xerosync.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.notify.NotificationSignature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConnectSigningTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private final ConnectState state =
      new ConnectState("state-key-for-tests-only-0123456789", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aFreshStateNamesItsFlow() throws Exception {
    String s = state.issue("flow-1", "callback", NOW.plus(ConnectState.TTL));
    assertThat(state.verify(s, "callback")).isEqualTo("flow-1");
  }

  @Test
  void everyKindOfBadStateIsRefusedWithItsOwnReason() {
    String good = state.issue("flow-1", "callback", NOW.plus(ConnectState.TTL));
    String[] parts = good.split("\\.");
    String otherPayload =
        state.issue("flow-2", "callback", NOW.plus(ConnectState.TTL)).split("\\.")[1];
    assertThatThrownBy(
            () -> state.verify(parts[0] + "." + otherPayload + "." + parts[2], "callback"))
        .hasMessageContaining("altered");
    assertThatThrownBy(() -> state.verify(good, "choose")).hasMessageContaining("another step");
    assertThatThrownBy(() -> state.verify("", "callback")).hasMessageContaining("no state");
    assertThatThrownBy(() -> state.verify("nonsense", "callback"))
        .hasMessageContaining("malformed");
    String expired = state.issue("flow-1", "callback", NOW.minusSeconds(1));
    assertThatThrownBy(() -> state.verify(expired, "callback")).hasMessageContaining("expired");
    ConnectState otherKey =
        new ConnectState("a-different-key-0123456789abcdef", Clock.fixed(NOW, ZoneOffset.UTC));
    assertThatThrownBy(() -> otherKey.verify(good, "callback")).hasMessageContaining("altered");
  }

  @Test
  void thePkceVerifierIsStablePerFlowAndFitsRfc7636() {
    String v = state.pkceVerifier("flow-1");
    assertThat(v)
        .isEqualTo(state.pkceVerifier("flow-1"))
        .isNotEqualTo(state.pkceVerifier("flow-2"));
    assertThat(v).matches("[A-Za-z0-9_-]{43,128}");
    // RFC 7636 appendix B example.
    assertThat(ConnectState.pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void notificationsVerifyOnlyWithTheirExactBodyAndKey() {
    NotificationSignature s = new NotificationSignature("notification-key-0123456789abcdef");
    String header = s.sign(1_700_000_000L, "{\"a\":1}");
    assertThat(header).matches("t=1700000000,v1=[0-9a-f]{64}");
    assertThat(s.verify(header, "{\"a\":1}")).isTrue();
    assertThat(s.verify(header, "{\"a\":2}")).isFalse();
    assertThat(
            new NotificationSignature("another-key-0123456789abcdefgh").verify(header, "{\"a\":1}"))
        .isFalse();
  }

  @Test
  void scopesAreGranularByDefaultBroadOnRequestAndAlwaysOffline() {
    assertThat(ConnectHandler.scope("granular"))
        .contains("accounting.invoices.read", "accounting.payments.read", "offline_access", "email")
        .doesNotContain("accounting.transactions");
    assertThat(ConnectHandler.scope("broad"))
        .contains("accounting.transactions.read", "offline_access");
    assertThat(ConnectHandler.scope("openid accounting.contacts.read")).endsWith("offline_access");
  }
}
