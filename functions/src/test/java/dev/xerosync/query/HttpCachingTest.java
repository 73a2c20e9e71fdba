package dev.xerosync.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpCachingTest {
  @Test
  void aMatchingIfNoneMatchGetsABodiless304() {
    var first =
        HttpCaching.ok(
            null, "{\"a\":1}", "application/json", HttpCaching.PRIVATE_REVALIDATE, "x-api-key");
    String etag = first.getHeaders().get("ETag");
    assertThat(first.getStatusCode()).isEqualTo(200);
    assertThat(etag).startsWith("\"").endsWith("\"");
    var again =
        HttpCaching.ok(
            "\"other\", W/" + etag,
            "{\"a\":1}",
            "application/json",
            HttpCaching.PRIVATE_REVALIDATE,
            "x-api-key");
    assertThat(again.getStatusCode()).isEqualTo(304);
    assertThat(again.getBody()).isEmpty();
    assertThat(again.getHeaders())
        .containsEntry("ETag", etag)
        .containsEntry("Cache-Control", "private, no-cache");
    var changed =
        HttpCaching.ok(
            etag, "{\"a\":2}", "application/json", HttpCaching.PRIVATE_REVALIDATE, "x-api-key");
    assertThat(changed.getStatusCode()).isEqualTo(200);
    assertThat(changed.getHeaders().get("ETag")).isNotEqualTo(etag);
  }
}
