package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.xero.Faults.WriteFault;
import dev.xerosync.infra.xero.accounting.IdempotentWrites;
import dev.xerosync.infra.xero.accounting.WriteAttempt;
import dev.xerosync.infra.xero.ledger.XeroMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key as Xero's guide describes it, and the write faults that make it matter: a lost
 * response after the commit, 5xx and 429s before it, a slow commit; each visible in the truth.
 */
class XeroSimulatorIdempotencyIntegrationTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;
  String token;
  String acme;

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app("app", "s").app("other", "s").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org");
    token = sim.grant("app", org.tenantId()).accessToken();
    acme = org.createContact("Acme");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  String invoice(String reference) {
    return "{\"Invoices\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\""
        + acme
        + "\"},\"Reference\":\""
        + reference
        + "\",\"Date\":\"2026-02-01\",\"DueDate\":\"2026-03-01\",\"LineItems\":[{\"Description\":\"W\",\"Quantity\":1,\"UnitAmount\":10,\"AccountCode\":\"200\"}]}]}";
  }

  SimHttp.Resp put(String body, String... headers) {
    return http.send("PUT", "/api.xro/2.0/Invoices", token, org.tenantId(), body, headers);
  }

  SimHttp.Resp tryPut(String body, String... headers) {
    return http.trySend(
        "PUT", "/api.xro/2.0/Invoices", token, org.tenantId(), body, TIMEOUT, headers);
  }

  long invoicesWithReference(String ref) {
    return org.invoices().stream().filter(v -> ref.equals(v.invoice().reference())).count();
  }

  static String firstMessage(SimHttp.Resp r) {
    return r.json().at("/Elements/0/ValidationErrors/0/Message").asText();
  }

  @Test
  void naiveRetryAfterALostResponseDuplicatesAndAKeyedRetryDoesNot() {
    sim.faults().failNextWrites(WriteFault.RESPONSE_LOST_AFTER_COMMIT, 1);
    assertThat(tryPut(invoice("ORDER-1"))).as("the connection drops, no response").isNull();
    assertThat(tryPut(invoice("ORDER-1")).status()).isEqualTo(200);
    assertThat(invoicesWithReference("ORDER-1")).as("the naive retry duplicated").isEqualTo(2);

    sim.faults().failNextWrites(WriteFault.RESPONSE_LOST_AFTER_COMMIT, 1);
    assertThat(tryPut(invoice("ORDER-2"), "Idempotency-Key", "order-2")).isNull();
    clock.advance(Duration.ofMinutes(5).plusSeconds(59));
    SimHttp.Resp retry = tryPut(invoice("ORDER-2"), "Idempotency-Key", "order-2");
    assertThat(retry.status()).isEqualTo(200);
    assertThat(invoicesWithReference("ORDER-2")).as("no duplicate").isEqualTo(1);
    assertThat(retry.json().at("/Invoices/0/InvoiceID").asText())
        .isEqualTo(
            org.invoices().stream()
                .filter(v -> "ORDER-2".equals(v.invoice().reference()))
                .findFirst()
                .orElseThrow()
                .invoice()
                .invoiceId());

    List<WriteAttempt> order2 =
        sim.writeAttempts().stream().filter(w -> "order-2".equals(w.idempotencyKey())).toList();
    assertThat(order2)
        .extracting(WriteAttempt::fault)
        .containsExactly("RESPONSE_LOST_AFTER_COMMIT", null);
    assertThat(order2).extracting(WriteAttempt::committed).containsExactly(true, false);
    assertThat(order2).extracting(WriteAttempt::replayed).containsExactly(false, true);
    assertThat(order2.getFirst().responseLost()).isTrue();
  }

  @Test
  void keysLastSixMinutes() {
    assertThat(put(invoice("R"), "Idempotency-Key", "k").status()).isEqualTo(200);
    clock.advance(IdempotentWrites.RETENTION.plusSeconds(1));
    assertThat(put(invoice("R"), "Idempotency-Key", "k").status()).isEqualTo(200);
    assertThat(invoicesWithReference("R")).as("an expired key no longer protects").isEqualTo(2);
  }

  @Test
  void aReplayReturnsTheFirstResponseEvenAnError() {
    org.archiveContact(acme);
    SimHttp.Resp first = put(invoice("E"), "Idempotency-Key", "e");
    assertThat(first.status()).isEqualTo(400);
    assertThat(firstMessage(first)).isEqualTo(XeroMessages.CONTACT_ARCHIVED);
    org.restoreContact(acme);
    SimHttp.Resp replay = put(invoice("E"), "Idempotency-Key", "e");
    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(put(invoice("E")).status()).as("without the key it runs").isEqualTo(200);
  }

  @Test
  void theSameKeyWithAnotherBodyUrlOrMethodIsRefused() {
    assertThat(put(invoice("A"), "Idempotency-Key", "same").status()).isEqualTo(200);
    for (SimHttp.Resp r :
        List.of(
            put(invoice("B"), "Idempotency-Key", "same"),
            http.send(
                "POST",
                "/api.xro/2.0/Invoices",
                token,
                org.tenantId(),
                invoice("A"),
                "Idempotency-Key",
                "same"),
            http.send(
                "PUT",
                "/api.xro/2.0/Invoices?summarizeErrors=false",
                token,
                org.tenantId(),
                invoice("A"),
                "Idempotency-Key",
                "same"))) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(firstMessage(r)).isEqualTo(XeroMessages.idempotencyKeyReused("same"));
    }
    assertThat(org.invoices()).hasSize(1);
  }

  @Test
  void keysOfAtMost128CharactersAndIgnoredOnGet() {
    String ok = "k".repeat(IdempotentWrites.MAX_KEY_LENGTH);
    assertThat(put(invoice("L"), "Idempotency-Key", ok).status()).isEqualTo(200);
    SimHttp.Resp tooLong = put(invoice("L2"), "Idempotency-Key", ok + "k");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(firstMessage(tooLong))
        .isEqualTo(XeroMessages.idempotencyKeyTooLong(IdempotentWrites.MAX_KEY_LENGTH));
    assertThat(invoicesWithReference("L2")).isZero();

    assertThat(
            http.get("/api.xro/2.0/Invoices", token, org.tenantId(), "Idempotency-Key", "g")
                .status())
        .isEqualTo(200);
    assertThat(put(invoice("G"), "Idempotency-Key", "g").status())
        .as("a GET never claimed the key")
        .isEqualTo(200);
  }

  @Test
  void keysBelongToOneAppAndAReplayStillCostsACall() {
    String other = sim.grant("other", org.tenantId()).accessToken();
    put(invoice("P"), "Idempotency-Key", "shared");
    http.send(
        "PUT",
        "/api.xro/2.0/Invoices",
        other,
        org.tenantId(),
        invoice("P"),
        "Idempotency-Key",
        "shared");
    assertThat(invoicesWithReference("P")).as("each app has its own keys").isEqualTo(2);

    int before = sim.callCount(org.tenantId());
    SimHttp.Resp replay = put(invoice("P"), "Idempotency-Key", "shared");
    assertThat(sim.callCount(org.tenantId())).isEqualTo(before + 1);
    int remaining = Integer.parseInt(replay.header("X-MinLimit-Remaining"));
    SimHttp.Resp again = put(invoice("P"), "Idempotency-Key", "shared");
    assertThat(Integer.parseInt(again.header("X-MinLimit-Remaining"))).isEqualTo(remaining - 1);
  }

  @Test
  void faultsBeforeTheCommitSaveNothingAndAKeyedRetryRunsForReal() {
    List<WriteFault> before =
        List.of(
            WriteFault.SERVER_ERROR_BEFORE_COMMIT,
            WriteFault.RATE_LIMIT_CONCURRENT,
            WriteFault.RATE_LIMIT_MINUTE,
            WriteFault.RATE_LIMIT_DAY,
            WriteFault.RATE_LIMIT_APPMINUTE);
    for (WriteFault f : before) {
      sim.faults().failNextWrites(f, 1);
      SimHttp.Resp r = put(invoice(f.name()), "Idempotency-Key", f.name());
      if (f == WriteFault.SERVER_ERROR_BEFORE_COMMIT) {
        assertThat(r.status()).isIn(500, 503);
      } else {
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("X-Rate-Limit-Problem"))
            .isEqualTo(f.name().substring("RATE_LIMIT_".length()).toLowerCase());
        assertThat(r.header("Retry-After")).isNotBlank();
      }
      assertThat(invoicesWithReference(f.name())).isZero();
      assertThat(put(invoice(f.name()), "Idempotency-Key", f.name()).status()).isEqualTo(200);
      assertThat(invoicesWithReference(f.name())).isEqualTo(1);
    }
    assertThat(sim.writeAttempts())
        .filteredOn(w -> w.fault() != null)
        .allSatisfy(w -> assertThat(w.committed()).isFalse())
        .hasSize(before.size());
    assertThat(sim.writeAttempts()).filteredOn(WriteAttempt::replayed).isEmpty();
  }

  @Test
  void aGatewayTimeoutAfterTheCommitAndASlowCommitBothSave() throws Exception {
    sim.faults().failNextWrites(WriteFault.GATEWAY_TIMEOUT_AFTER_COMMIT, 1);
    assertThat(put(invoice("T")).status()).isEqualTo(504);
    assertThat(invoicesWithReference("T")).isEqualTo(1);

    sim.faults().slowCommit(Duration.ofMillis(800)).failNextWrites(WriteFault.SLOW_COMMIT, 1);
    SimHttp.Resp timedOut =
        http.trySend(
            "PUT",
            "/api.xro/2.0/Invoices",
            token,
            org.tenantId(),
            invoice("S"),
            Duration.ofMillis(200));
    assertThat(timedOut).as("the client gave up").isNull();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (invoicesWithReference("S") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(invoicesWithReference("S")).as("the slow commit still happened").isEqualTo(1);
    WriteAttempt slow = sim.writeAttempts().getLast();
    assertThat(slow.fault()).isEqualTo("SLOW_COMMIT");
    assertThat(slow.committed()).isTrue();
  }

  @Test
  void writeFaultsAtARateAreReproducibleFromTheSeed() {
    List<Boolean> a = lostPattern(7), b = lostPattern(7);
    assertThat(a).isEqualTo(b).contains(true, false);
  }

  List<Boolean> lostPattern(long seed) {
    sim.faults().clear().reseed(seed).writeFaults(WriteFault.RESPONSE_LOST_AFTER_COMMIT, 0.5);
    List<Boolean> out = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      out.add(tryPut(invoice("Z" + seed)) == null);
    }
    sim.faults().clear();
    return out;
  }
}
