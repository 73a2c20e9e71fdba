package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class XeroApiTest {
  private final XeroApi api =
      new XeroApi(
          XeroApi.defaultHttpClient(), URI.create("https://api.xero.com"), CallBudget.UNLIMITED);
  private static final String PREFIX = "/api.xro/2.0/Invoices?IDs=";

  @Test
  void cutsIdListsSoEveryUrlFitsXerosLimitWithoutLosingOrRepeatingAny() {
    List<String> ids =
        IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID().toString()).toList();
    List<List<String>> chunks = api.chunkForUrl(PREFIX, "", ids);
    assertThat(chunks)
        .allSatisfy(
            c ->
                assertThat(("https://api.xero.com" + PREFIX + String.join(",", c)).length())
                    .isLessThanOrEqualTo(XeroApi.MAX_URL_LENGTH));
    List<String> rejoined = new ArrayList<>();
    chunks.forEach(rejoined::addAll);
    assertThat(rejoined).isEqualTo(ids);
    // As few calls as the limit allows: 52 GUIDs with plain commas make a 1,969-character URL, 53
    // would pass 2,000.
    assertThat(chunks.get(0)).hasSize(52);
    assertThat(chunks).hasSize(20);
  }

  @Test
  void aShortListIsOneCall() {
    assertThat(api.chunkForUrl(PREFIX, "", List.of("a1", "b2")))
        .containsExactly(List.of("a1", "b2"));
    assertThat(api.chunkForUrl(PREFIX, "", List.of())).isEmpty();
  }

  @Test
  void refusesSomethingThatIsNotAnIdRatherThanBuildingAStrangeUrl() {
    assertThatThrownBy(() -> api.chunkForUrl(PREFIX, "", List.of("a,b&c=d")))
        .hasMessageContaining("not a Xero id");
  }
}
