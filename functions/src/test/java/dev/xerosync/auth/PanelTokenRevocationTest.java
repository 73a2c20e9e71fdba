package dev.xerosync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.common.Problem;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.TenantPurge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A panel token lives no longer than the API key that minted it (docs/security.md: 5 s). */
class PanelTokenRevocationTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  private final LocalTable table = LocalTable.get();
  private Instant now = T0;
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final ApiKeys keys = new ApiKeys(table.dynamoDb(), table.name(), clock);
  private final PanelTokens tokens =
      new PanelTokens(new PanelGrants(table.dynamoDb(), table.name()), keys, clock);
  private final String tenant = UUID.randomUUID().toString();

  @Test
  void aTokenDiesWithinTheBoundOnceItsKeyIsRevoked() throws Problem {
    var key = keys.create(tenant, "backend");
    var issued = tokens.mint(tenant, key.keyId(), "deal", "d-1", Duration.ofMinutes(15));
    assertThat(tokens.check(issued.token()).tenantId()).isEqualTo(tenant);

    // Another container revokes: this one's caches do not hear of it.
    new ApiKeys(table.dynamoDb(), table.name(), clock).revoke(tenant, key.keyId());
    now = T0.plus(ApiKeys.REVOCATION_BOUND);

    assertThatThrownBy(() -> tokens.check(issued.token()))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("revoked");
  }

  @Test
  void aTokenDiesWithinTheBoundOnceItsTenantIsPurged() throws Problem {
    var key = keys.create(tenant, "backend");
    var issued = tokens.mint(tenant, key.keyId(), "deal", "d-1", Duration.ofMinutes(15));
    tokens.check(issued.token());

    new TenantPurge(table.dynamoDb(), table.name()).purge(tenant);
    now = T0.plus(ApiKeys.REVOCATION_BOUND);

    assertThatThrownBy(() -> tokens.check(issued.token())).isInstanceOf(Problem.class);
  }

  @Test
  void aKeyRevokedAMomentAgoMintsNothingThoughItsLookupIsCached() {
    var key = keys.create(tenant, "backend");
    assertThat(keys.live(tenant, key.keyId())).isTrue();
    new ApiKeys(table.dynamoDb(), table.name(), clock).revoke(tenant, key.keyId());
    now = T0.plusSeconds(1);

    assertThatThrownBy(() -> tokens.mint(tenant, key.keyId(), "deal", "d-1", Duration.ofMinutes(5)))
        .isInstanceOf(Problem.class)
        .extracting(p -> ((Problem) p).status())
        .isEqualTo(401);
  }
}
