package dev.xerosync.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpCachingTest {
  private static final Map<String, String> VARY = Map.of("Vary", "x-api-key");

  @Test
  void aMatchingIfNoneMatchGetsABodiless304() {
    var first =
        HttpCaching.ok(null, "{\"a\":1}", "application/json", HttpCaching.PRIVATE_REVALIDATE, VARY);
    String etag = first.getHeaders().get("ETag");
    assertThat(first.getStatusCode()).isEqualTo(200);
    assertThat(first.getHeaders())
        .containsEntry("Content-Type", "application/json")
        .containsEntry("Vary", "x-api-key");
    assertThat(etag).startsWith("\"").endsWith("\"");
    var again =
        HttpCaching.ok(
            "\"other\", W/" + etag,
            "{\"a\":1}",
            "application/json",
            HttpCaching.PRIVATE_REVALIDATE,
            VARY);
    assertThat(again.getStatusCode()).isEqualTo(304);
    assertThat(again.getBody()).isEmpty();
    assertThat(again.getHeaders())
        .containsEntry("ETag", etag)
        .containsEntry("Cache-Control", "private, no-cache")
        .containsEntry("Vary", "x-api-key")
        .doesNotContainKey("Content-Type");
    var changed =
        HttpCaching.ok(etag, "{\"a\":2}", "application/json", HttpCaching.PRIVATE_REVALIDATE, VARY);
    assertThat(changed.getStatusCode()).isEqualTo(200);
    assertThat(changed.getHeaders().get("ETag")).isNotEqualTo(etag);
  }

  @Test
  void theTagIsTheBodysSha256AndOnlyATagOrAStarMatches() {
    // base64url of SHA-256("hello"), cut to 27 characters.
    assertThat(HttpCaching.etag("hello")).isEqualTo("\"LPJNul-wow4m6DsqxbninhsWHlw\"");
    String etag = HttpCaching.etag("hello");
    assertThat(HttpCaching.notModified(null, etag)).isFalse();
    assertThat(HttpCaching.notModified("*", etag)).isTrue();
    assertThat(HttpCaching.notModified(" W/" + etag + " ", etag)).isTrue();
    assertThat(HttpCaching.notModified("\"LPJNul\"", etag)).as("a prefix is another tag").isFalse();
    assertThat(HttpCaching.notModified(HttpCaching.etag("hello!"), etag)).isFalse();
  }
}
