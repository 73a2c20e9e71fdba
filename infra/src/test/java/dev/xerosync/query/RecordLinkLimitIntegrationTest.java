package dev.xerosync.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.store.RecordLinks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 4: 25 concurrent link requests on one record used to give 25 × 201 and 25
 * links. The limit must hold under concurrency: exactly {@link RecordLinks#MAX_LINKS} succeed.
 */
class RecordLinkLimitIntegrationTest {
  static final String T = "dddddddd-0000-4000-8000-00000000f004";
  static QueryTable table;
  static QueryApi api;
  static String key;

  @BeforeAll
  static void seed() {
    table = QueryTable.create();
    api = new QueryApi(table, Instant.parse("2026-06-15T03:00:00Z"));
    QuerySeed seed = new QuerySeed(table);
    seed.organisation(T, "!lk", "Pacific/Auckland");
    for (int i = 0; i < 25; i++) {
      seed.contact(T, contact(i), "Contact " + i, true);
    }
    key = api.newKey(T);
  }

  @AfterAll
  static void stop() {
    table.close();
  }

  static String contact(int i) {
    return String.format("cccccccc-0000-4000-8000-%012d", i);
  }

  @Test
  void concurrentLinksNeverExceedTheLimit() throws Exception {
    var pool = Executors.newFixedThreadPool(25);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String c = contact(i);
      Callable<Integer> link =
          () -> {
            start.await();
            return api.call(
                    "POST",
                    key,
                    "/tenants/" + T + "/records/deal/race-1/links",
                    "{\"contactId\":\"" + c + "\"}",
                    java.util.Map.of())
                .status();
          };
      results.add(pool.submit(link));
    }
    start.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (var r : results) {
      statuses.add(r.get());
    }
    pool.shutdown();

    assertThat(statuses.stream().filter(s -> s == 201).count())
        .as("201s among " + statuses)
        .isEqualTo(RecordLinks.MAX_LINKS);
    assertThat(statuses).allMatch(s -> s == 201 || s == 400);
    var record = api.get(key, "/tenants/" + T + "/records/deal/race-1");
    assertThat(record.json().path("contacts").size()).isEqualTo(RecordLinks.MAX_LINKS);

    // Unlinking frees a place, and relinking an existing contact is not a new link.
    String linked = record.json().path("contacts").get(0).path("contactId").asText();
    assertThat(
            api.call(
                    "DELETE",
                    key,
                    "/tenants/" + T + "/records/deal/race-1/links/" + linked,
                    null,
                    java.util.Map.of())
                .status())
        .isEqualTo(204);
    String other = record.json().path("contacts").get(1).path("contactId").asText();
    assertThat(
            api.call(
                    "POST",
                    key,
                    "/tenants/" + T + "/records/deal/race-1/links",
                    "{\"contactId\":\"" + other + "\"}",
                    java.util.Map.of())
                .status())
        .isEqualTo(200);
    assertThat(
            api.call(
                    "POST",
                    key,
                    "/tenants/" + T + "/records/deal/race-1/links",
                    "{\"contactId\":\"" + linked + "\"}",
                    java.util.Map.of())
                .status())
        .isEqualTo(201);
  }
}
