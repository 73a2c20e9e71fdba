package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PageCursorTest {
  static final String T = "11111111-1111-4111-8111-111111111111";
  static final String C = "22222222-2222-4222-8222-222222222222";
  static final Set<String> ATTRS = Set.of("gsi1pk", "gsi1sk", "pk", "sk");
  static final Function<String, String> ONLY_C = c -> c.equals(C) ? "T#" + T + "#C#" + C : null;

  static Map<String, AttributeValue> key(String partition, String invoicePk) {
    Map<String, AttributeValue> k = new LinkedHashMap<>();
    k.put("gsi1pk", AttributeValue.fromS(partition));
    k.put("gsi1sk", AttributeValue.fromS("2026-01-01#abc"));
    k.put("pk", AttributeValue.fromS(invoicePk));
    k.put("sk", AttributeValue.fromS("INVOICE"));
    return k;
  }

  static PageCursor.State decode(String cursor) throws PageCursor.InvalidCursor {
    return PageCursor.decode(cursor, "ByContactDate", ATTRS, "gsi1pk", ONLY_C, "T#" + T + "#INV#");
  }

  @Test
  void roundTrips() throws Exception {
    var key = key("T#" + T + "#C#" + C, "T#" + T + "#INV#abc");
    String cursor = PageCursor.encode("ByContactDate", Map.of(C, key), Set.of());
    assertThat(cursor).matches("[A-Za-z0-9_-]+");
    assertThat(decode(cursor).positions()).isEqualTo(Map.of(C, key));
    assertThat(decode(null)).isEqualTo(PageCursor.State.START);
    assertThat(PageCursor.encode("ByContactDate", Map.of(), Set.of(C))).isNull();
  }

  @Test
  void refusesACursorAimedAtAnotherTenant() {
    String other = "99999999-9999-4999-8999-999999999999";
    String forged =
        PageCursor.encode(
            "ByContactDate",
            Map.of(C, key("T#" + other + "#C#" + C, "T#" + other + "#INV#abc")),
            Set.of());
    assertThatThrownBy(() -> decode(forged))
        .isInstanceOf(PageCursor.InvalidCursor.class)
        .hasMessageContaining("different listing");
    String forgedItem =
        PageCursor.encode(
            "ByContactDate",
            Map.of(C, key("T#" + T + "#C#" + C, "T#" + other + "#INV#abc")),
            Set.of());
    assertThatThrownBy(() -> decode(forgedItem)).isInstanceOf(PageCursor.InvalidCursor.class);
  }

  @Test
  void refusesCursorsOfOtherListingsAndGarbage() {
    String otherIndex =
        PageCursor.encode(
            "ByNumber", Map.of(C, key("T#" + T + "#C#" + C, "T#" + T + "#INV#abc")), Set.of());
    assertThatThrownBy(() -> decode(otherIndex)).hasMessageContaining("different listing");
    assertThatThrownBy(() -> decode("not a cursor!")).hasMessageContaining("not valid");
    String missingAttribute =
        Base64.getUrlEncoder()
            .encodeToString(
                ("{\"l\":\"ByContactDate\",\"p\":{\""
                        + C
                        + "\":{\"gsi1pk\":\"T#"
                        + T
                        + "#C#"
                        + C
                        + "\"}},\"d\":[]}")
                    .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> decode(missingAttribute)).isInstanceOf(PageCursor.InvalidCursor.class);
    String numbers =
        Base64.getUrlEncoder().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> decode(numbers)).hasMessageContaining("not valid");
  }
}
