package dev.xerosync.panel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.auth.PanelTokens;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.PanelSockets;
import dev.xerosync.store.RecordLinks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** $connect holds the panel token to the same check as the REST panel routes. */
class PanelSocketHandlerTest {
  private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

  private final LocalTable table = LocalTable.get();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ApiKeys keys = new ApiKeys(table.dynamoDb(), table.name(), clock);
  private final PanelTokens tokens =
      new PanelTokens(new PanelGrants(table.dynamoDb(), table.name()), keys, clock);
  private final PanelSockets sockets = new PanelSockets(table.dynamoDb(), table.name());
  private final PanelSocketHandler handler =
      new PanelSocketHandler(PanelWiring.of(table.dynamoDb(), table.name(), clock));
  private final String tenant = UUID.randomUUID().toString();

  @Test
  void aLiveTokenListensToTheRecordsContactsUntilItDisconnects() throws Exception {
    var record = new RecordLinks.Record("deal", "d-1");
    var links = new RecordLinks(table.dynamoDb(), table.name());
    links.link(tenant, record, "c1", "Acme", NOW);
    links.link(tenant, record, "c2", "Globex", NOW);
    var key = keys.create(tenant, "backend");
    String token = tokens.mint(tenant, key.keyId(), "deal", "d-1", Duration.ofMinutes(15)).token();

    assertThat(status("$connect", "conn1", token)).isEqualTo(200);
    assertThat(sockets.listening(tenant, "c1", NOW)).containsExactly("conn1");
    assertThat(sockets.listening(tenant, "c2", NOW)).containsExactly("conn1");
    // When it connected: a post API Gateway answers 410 to while it is young is not a goodbye.
    assertThat(sockets.listeners(tenant, "c1", NOW))
        .extracting(PanelSockets.Listener::connectedAt)
        .containsOnly(NOW);
    // The socket outlives the token (it carries no data), but not API Gateway's 2 hours.
    assertThat(sockets.listening(tenant, "c1", NOW.plus(Duration.ofHours(2)))).isEmpty();

    assertThat(status("$disconnect", "conn1", null)).isEqualTo(200);
    assertThat(sockets.listening(tenant, "c1", NOW)).isEmpty();
    assertThat(sockets.listening(tenant, "c2", NOW)).isEmpty();
  }

  @Test
  void anUnknownMissingOrExpiredTokenIsRefusedAndRecordsNothing() throws Exception {
    var record = new RecordLinks.Record("contact", "crm-1");
    new RecordLinks(table.dynamoDb(), table.name()).link(tenant, record, "c9", null, NOW);
    var key = keys.create(tenant, "backend");
    String expired =
        new PanelTokens(
                new PanelGrants(table.dynamoDb(), table.name()),
                keys,
                Clock.fixed(NOW.minus(Duration.ofMinutes(20)), ZoneOffset.UTC))
            .mint(tenant, key.keyId(), "contact", "crm-1", Duration.ofMinutes(15))
            .token();

    assertThat(status("$connect", "a", "xsp_never_minted")).isEqualTo(401);
    assertThat(status("$connect", "b", null)).isEqualTo(401);
    assertThat(status("$connect", "c", expired)).isEqualTo(401);
    assertThat(sockets.listening(tenant, "c9", NOW)).isEmpty();
    assertThat(status("$default", "d", null)).isEqualTo(404);
  }

  private int status(String route, String connectionId, String token) {
    return handler
        .handleRequest(PanelSocketHandler.event(route, connectionId, token), null)
        .getStatusCode();
  }
}
