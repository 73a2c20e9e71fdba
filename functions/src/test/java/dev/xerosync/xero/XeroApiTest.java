package dev.xerosync.xero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
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
  void asksForGzipSendsIfModifiedSinceInXerosFormatAndReadsTheCompressedBody() throws Exception {
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          seen.put("encoding", ex.getRequestHeaders().getFirst("Accept-Encoding"));
          seen.put("since", ex.getRequestHeaders().getFirst("If-Modified-Since"));
          seen.put("query", ex.getRequestURI().getRawQuery());
          ByteArrayOutputStream zipped = new ByteArrayOutputStream();
          try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(
                ("{\"Contacts\":[{\"ContactID\":\"c1\",\"Name\":\"Acme\"}],"
                        + "\"pagination\":{\"page\":1,\"pageCount\":1,\"itemCount\":1}}")
                    .getBytes(StandardCharsets.UTF_8));
          }
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
          ex.sendResponseHeaders(200, zipped.size());
          try (var out = ex.getResponseBody()) {
            out.write(zipped.toByteArray());
          }
        });
    server.start();
    try {
      XeroApi local =
          new XeroApi(
              XeroApi.defaultHttpClient(),
              URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
              CallBudget.UNLIMITED);
      XeroPage<XeroContact> page =
          local.contactsModifiedSince("t1", "token", Instant.parse("2026-03-10T12:00:30.750Z"), 1);
      assertThat(page.items()).extracting(XeroContact::name).containsExactly("Acme");
      assertThat(seen).containsEntry("encoding", "gzip");
      // Xero reads a UTC timestamp to the second; one it cannot read would return everything.
      assertThat(seen).containsEntry("since", "2026-03-10T12:00:30");
      assertThat(seen.get("query")).contains("summaryOnly=true");
    } finally {
      server.stop(0);
    }
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
