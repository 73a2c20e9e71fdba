package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a read costs in Xero's egress meter: the body as sent, gzipped when asked; and an
 * If-Modified-Since in our client's format is honoured, while one Xero cannot read is ignored.
 */
class XeroSimulatorEgressIntegrationTest {
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimOrganisation org;
  String token;
  String acme;
  final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app("app", "secret", "xero-sync").start();
    org = sim.createOrganisation("Org One");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme Ltd");
    for (int i = 0; i < 30; i++) {
      org.createAuthorisedInvoice(
          acme, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1), new BigDecimal("10.00"));
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("xero-tenant-id", org.tenantId())
            .header("Accept", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    byte[] body = r.body();
    if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    return XeroJson.MAPPER.readTree(body);
  }

  @Test
  void gzipIsSentOnlyWhenAskedAndTheMeterCountsTheBytesAsSent() throws Exception {
    String path = "/api.xro/2.0/Invoices?page=1";
    HttpResponse<byte[]> plain = get(path);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    long afterPlain = sim.egress().tenant(org.tenantId());
    assertThat(afterPlain).isEqualTo(plain.body().length);

    HttpResponse<byte[]> zipped = get(path, "Accept-Encoding", "gzip, deflate");
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(zipped.body().length).isLessThan(plain.body().length / 3);
    assertThat(json(zipped).get("Invoices")).hasSize(30);
    assertThat(sim.egress().tenant(org.tenantId()) - afterPlain).isEqualTo(zipped.body().length);
    assertThat(sim.egress().byEndpoint(org.tenantId()))
        .containsEntry("Invoices", afterPlain + zipped.body().length);

    HttpResponse<byte[]> refused = get(path, "Accept-Encoding", "gzip;q=0");
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void ourIfModifiedSinceIsHonouredAndABadlyFormattedOneIsIgnored() throws Exception {
    clock.advance(Duration.ofHours(1));
    Instant mark = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    org.pay(
        org.createAuthorisedInvoice(
            acme, LocalDate.of(2026, 1, 2), LocalDate.of(2026, 2, 1), BigDecimal.ONE),
        BigDecimal.ONE,
        LocalDate.of(2026, 1, 3),
        "p");
    token = sim.grant("app", org.tenantId()).accessToken(); // the first one expired in the hour
    // The format XeroApi sends: a UTC timestamp to the second, no offset.
    String ours =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(mark);
    assertThat(json(get("/api.xro/2.0/Invoices?page=1", "If-Modified-Since", ours)).get("Invoices"))
        .hasSize(1);
    // Nothing changed since: the sweep costs an envelope, not a page.
    String later =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC)
            .format(clock.instant().plusSeconds(1));
    assertThat(
            json(get("/api.xro/2.0/Invoices?page=1", "If-Modified-Since", later)).get("Invoices"))
        .isEmpty();

    HttpResponse<byte[]> bad =
        get("/api.xro/2.0/Invoices?page=1", "If-Modified-Since", "yesterday");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(json(bad).get("Invoices")).hasSize(31);
  }
}
