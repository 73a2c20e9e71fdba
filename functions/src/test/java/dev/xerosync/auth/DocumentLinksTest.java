package dev.xerosync.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.common.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The PDF links: a link opens its own invoice's PDF until it expires, and nothing else. */
class DocumentLinksTest {
  private static final String T = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String INV = "eeeeeeee-0000-4000-8000-000000000002";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final DocumentLinks links = new DocumentLinks("signing-secret", at(NOW));

  private static Clock at(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  @Test
  void aFreshLinkOpensItsInvoiceUntilItExpires() {
    DocumentLinks.Signed s = links.sign(T, INV);
    String expires = Long.toString(s.expires());
    assertThatCode(() -> links.verify(T, INV, expires, s.signature())).doesNotThrowAnyException();
    DocumentLinks later =
        new DocumentLinks("signing-secret", at(NOW.plus(DocumentLinks.LIFETIME).minusSeconds(1)));
    assertThatCode(() -> later.verify(T, INV, expires, s.signature())).doesNotThrowAnyException();
    DocumentLinks expired =
        new DocumentLinks("signing-secret", at(NOW.plus(DocumentLinks.LIFETIME)));
    assertThatThrownBy(() -> expired.verify(T, INV, expires, s.signature()))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("expired");
  }

  @Test
  void aLinkOpensNoOtherInvoiceTenantOrExpiryAndNeedsTheSameKey() {
    DocumentLinks.Signed s = links.sign(T, INV);
    String expires = Long.toString(s.expires());
    String later = Long.toString(s.expires() + Duration.ofHours(1).toSeconds());
    String otherInvoice = "eeeeeeee-0000-4000-8000-000000000003";
    String otherTenant = "aaaaaaaa-0000-4000-8000-000000000009";
    for (var attempt :
        new String[][] {
          {T, otherInvoice, expires, s.signature()},
          {otherTenant, INV, expires, s.signature()},
          {T, INV, later, s.signature()},
          {T, INV, expires, s.signature() + "x"},
          {T, INV, "soon", s.signature()},
          {T, INV, null, null},
        }) {
      assertThatThrownBy(() -> links.verify(attempt[0], attempt[1], attempt[2], attempt[3]))
          .isInstanceOf(Problem.class)
          .extracting(p -> ((Problem) p).status())
          .isEqualTo(403);
    }
    DocumentLinks otherKey = new DocumentLinks("another-secret", at(NOW));
    assertThatThrownBy(() -> otherKey.verify(T, INV, expires, s.signature()))
        .isInstanceOf(Problem.class);
  }
}
