package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The tenant's panel origins, changed one at a time by writers that race. */
class PanelGrantsTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private final LocalTable table = LocalTable.get();
  private final PanelGrants grants = new PanelGrants(table.dynamoDb(), table.name());

  @Test
  void concurrentAddsAllLandWhereALastWriterWouldLoseAllButOne() throws Exception {
    String tenant = UUID.randomUUID().toString();
    grants.setOrigins(tenant, List.of("https://first.example"), NOW);
    List<Future<List<String>>> done = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(6)) {
      for (int i = 0; i < 6; i++) {
        String origin = "https://crm" + i + ".example";
        done.add(
            pool.submit(
                () ->
                    grants.changeOrigins(
                        tenant,
                        stored -> {
                          List<String> next = new ArrayList<>(stored);
                          next.add(origin);
                          return next;
                        },
                        NOW)));
      }
      for (Future<List<String>> f : done) {
        f.get();
      }
    }
    assertThat(grants.origins(tenant))
        .hasSize(7)
        .startsWith("https://first.example")
        .contains("https://crm0.example", "https://crm5.example");
  }

  @Test
  void aChangeThatRefusesWritesNothing() throws Exception {
    String tenant = UUID.randomUUID().toString();
    grants.setOrigins(tenant, List.of("https://a.example"), NOW);
    assertThatThrownBy(
            () ->
                grants.changeOrigins(
                    tenant,
                    stored -> {
                      throw new IllegalArgumentException("refused");
                    },
                    NOW))
        .hasMessage("refused");
    assertThat(grants.origins(tenant)).containsExactly("https://a.example");
    assertThat(grants.changeOrigins(tenant, stored -> List.of(), NOW)).isEmpty();
    assertThat(grants.origins(tenant)).isEmpty();
  }
}
