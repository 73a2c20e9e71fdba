package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.control.ControlApi;
import dev.xerosync.infra.xero.ledger.Contact;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control API and the read-only token, over HTTP, on one simulator switched on as the local
 * stack switches it on ({@link ControlApi#mount}).
 */
class XeroSimulatorControlIntegrationTest {
  private static final String API = "/api.xro/2.0";

  static XeroSimulator sim;
  static ControlApi control;
  static SimHttp http;
  static String app;

  @BeforeAll
  static void boot() {
    sim = XeroSimulator.builder().app("app", "secret").build();
    control = ControlApi.mount(sim);
    sim.start();
    http = new SimHttp(sim.baseUrl());
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  /** A fresh organisation the app is connected to, so tests do not share counters. */
  static SimOrganisation organisation(String name) {
    SimOrganisation org = sim.createOrganisation(name);
    app = sim.grant("app", org.tenantId()).accessToken();
    return org;
  }

  static SimHttp.Resp ctl(String method, String path, String body) {
    return http.send(method, "/_sim" + path, control.controlToken(), null, body);
  }

  static JsonNode ok(SimHttp.Resp r) {
    assertThat(r.status()).as(r.body()).isBetween(200, 201);
    return r.json();
  }

  @Test
  void offUnlessMountedAndOnlyWithItsOwnToken() {
    try (XeroSimulator plain = XeroSimulator.builder().start()) {
      SimHttp.Resp r =
          new SimHttp(plain.baseUrl()).get("/_sim/clock", control.controlToken(), null);
      assertThat(r.status()).isEqualTo(404);
    }
    SimHttp.Resp none = http.get("/_sim/clock", null, null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(none.json().path("status").asInt()).isEqualTo(401);
    assertThat(http.get("/_sim/clock", control.controlToken() + "x", null).status()).isEqualTo(401);
    SimHttp.Resp reader = http.get("/_sim/clock", control.readerToken(), null);
    assertThat(reader.status()).isEqualTo(403);
    assertThat(reader.json().path("detail").asText()).contains("read-only");
    assertThat(ok(ctl("GET", "/clock", null)).path("now").asText()).isNotBlank();
  }

  @Test
  void aControlPathNoRouteTakesIsAProblemToo() {
    SimHttp.Resp unknown = ctl("GET", "/no-such-route", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(unknown.json().path("detail").asText()).contains("/_sim/no-such-route");
    assertThat(ctl("GET", "", null).status()).isEqualTo(404);
    SimHttp.Resp wrongMethod = ctl("PUT", "/clock", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET, POST");
    assertThat(http.get("/_sim/no-such-route", null, null).status())
        .as("the token first, as on every control route")
        .isEqualTo(401);
    assertThat(http.get("/_simulated", control.controlToken(), null).header("Content-Type"))
        .as("a path that only starts like the prefix is Xero's")
        .startsWith("text/plain");
  }

  @Test
  void badInputIsAProblemThatNamesIt() {
    SimOrganisation org = organisation("Bad input Ltd");
    String t = "/tenants/" + org.tenantId();
    SimHttp.Resp unknown = ctl("POST", t + "/contacts", "{\"name\":\"A\",\"nmae\":\"B\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(unknown.json().path("detail").asText())
        .contains("unknown field 'nmae'")
        .contains("contactNumber, name");
    assertThat(ctl("POST", t + "/contacts", "{\"name\":").status()).isEqualTo(400);
    assertThat(ctl("POST", t + "/contacts", "[]").status()).isEqualTo(400);
    assertThat(ctl("POST", t + "/contacts", "{\"name\":42}").json().path("detail").asText())
        .contains("'name'");
    JsonNode badFault = ctl("POST", "/faults/writes", "{\"fault\":\"LOST\",\"next\":1}").json();
    assertThat(badFault.path("status").asInt()).isEqualTo(400);
    assertThat(badFault.path("detail").asText()).contains("RESPONSE_LOST_AFTER_COMMIT");
    assertThat(ctl("POST", "/faults/writes", "{\"fault\":\"SLOW_COMMIT\"}").status())
        .isEqualTo(400);
    assertThat(ctl("POST", "/tenants/no-such/contacts", "{\"name\":\"A\"}").status())
        .isEqualTo(404);
    assertThat(ctl("POST", t + "/contacts/no-such/archive", null).status()).isEqualTo(404);
    assertThat(org.contacts()).isEmpty();
    SimHttp.Resp noUrl = ctl("POST", "/webhooks/verify", null);
    assertThat(noUrl.status()).as("no webhook URL to verify").isEqualTo(409);
    assertThat(noUrl.json().path("detail").asText()).contains("webhook URL");
  }

  @Test
  void faultsSwitchedOverHttpMeetTheAppAndAreCounted() {
    SimOrganisation org = organisation("Faults Ltd");
    String contacts = "{\"Contacts\":[{\"Name\":\"Lost Ltd\"}]}";
    ok(ctl("POST", "/faults/writes", "{\"fault\":\"response_lost_after_commit\",\"next\":1}"));
    SimHttp.Resp lost =
        http.trySend(
            "PUT", API + "/Contacts", app, org.tenantId(), contacts, Duration.ofSeconds(30));
    assertThat(lost).as("the connection drops after the commit").isNull();
    assertThat(org.contacts()).extracting(Contact::name).containsExactly("Lost Ltd");

    ok(ctl("POST", "/faults/rate-limits", "{\"problem\":\"minute\",\"next\":1}"));
    SimHttp.Resp limited = http.get(API + "/Contacts", app, org.tenantId());
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("X-Rate-Limit-Problem")).isEqualTo("minute");

    ok(ctl("POST", "/faults/calls", "{\"serverErrorRate\":1}"));
    assertThat(http.get(API + "/Contacts", app, org.tenantId()).status()).isGreaterThan(499);
    assertThat(ctl("DELETE", "/faults", null).status()).isEqualTo(204);
    assertThat(http.get(API + "/Contacts", app, org.tenantId()).status()).isEqualTo(200);

    JsonNode counters = ok(ctl("GET", "/tenants/" + org.tenantId() + "/counters", null));
    assertThat(counters.path("accountingCalls").asInt()).isEqualTo(sim.callCount(org.tenantId()));
    assertThat(counters.path("accountingCalls").asInt()).isEqualTo(4);
    assertThat(counters.path("writesCommitted").asInt()).isEqualTo(1);
    assertThat(counters.path("writeFaults").path("RESPONSE_LOST_AFTER_COMMIT").asInt())
        .isEqualTo(1);
    assertThat(counters.path("recentReads")).hasSize(3);
    JsonNode all = ok(http.get("/_sim/counters?clientId=app", control.controlToken(), null));
    assertThat(all.path("tooManyRequests").asInt()).isEqualTo(sim.tooManyRequests("app"));
  }

  @Test
  void contactsMergedArchivedAndRestoredAsInXero() {
    SimOrganisation org = organisation("Contacts Ltd");
    String t = "/tenants/" + org.tenantId();
    String kept =
        ok(ctl("POST", t + "/contacts", "{\"name\":\"Kept\"}")).path("contactId").asText();
    String dup =
        ok(ctl("POST", t + "/contacts", "{\"name\":\"Dup\",\"contactNumber\":\"crm-1\"}"))
            .path("contactId")
            .asText();
    JsonNode merged =
        ok(ctl("POST", t + "/contacts/" + dup + "/merge", "{\"into\":\"" + kept + "\"}"));
    assertThat(merged.path("status").asText()).isEqualTo("ARCHIVED");
    assertThat(org.contact(dup).mergedToContactId()).isEqualTo(kept);
    assertThat(
            http.get(API + "/Contacts/" + dup, control.readerToken(), org.tenantId())
                .json()
                .at("/Contacts/0/MergedToContactID")
                .asText())
        .isEqualTo(kept);

    assertThat(ok(ctl("POST", t + "/contacts/" + kept + "/archive", null)).path("status").asText())
        .isEqualTo("ARCHIVED");
    assertThat(ok(ctl("POST", t + "/contacts/" + kept + "/restore", "{}")).path("status").asText())
        .isEqualTo("ACTIVE");
    ok(ctl("PATCH", t + "/contacts/" + kept, "{\"email\":\"ap@kept.test\"}"));
    assertThat(org.contact(kept).emailAddress()).isEqualTo("ap@kept.test");
  }

  @Test
  void currenciesAndLockDatesSetAsInXerosSettings() {
    SimOrganisation org = organisation("Settings Ltd");
    String t = "/tenants/" + org.tenantId();
    JsonNode cur = ok(ctl("POST", t + "/currencies", "{\"code\":\"usd\"}"));
    assertThat(cur.path("currencies").toString()).contains("USD");
    assertThat(org.currencies()).contains("USD");
    assertThat(ctl("POST", t + "/currencies", "{\"code\":\"XYZ\"}").status()).isEqualTo(400);

    ok(ctl("PUT", t + "/lock-dates", "{\"period\":\"2026-01-31\"}"));
    JsonNode o =
        http.get(API + "/Organisation", control.readerToken(), org.tenantId())
            .json()
            .at("/Organisations/0");
    assertThat(o.has("PeriodLockDate")).isTrue();
    assertThat(o.has("EndOfYearLockDate")).isFalse();
    assertThat(ctl("PUT", t + "/lock-dates", "{\"period\":\"31/01/2026\"}").status())
        .isEqualTo(400);
  }

  @Test
  void invoicesPaymentsAndCreditNotesMoveTheBooks() {
    SimOrganisation org = organisation("Books Ltd");
    String t = "/tenants/" + org.tenantId();
    String contact = org.createContact("Customer");
    JsonNode inv =
        ok(
            ctl(
                "POST",
                t + "/invoices",
                "{\"contactId\":\""
                    + contact
                    + "\",\"total\":\"100.00\",\"date\":\"2026-03-01\"}"));
    String id = inv.path("invoiceId").asText();
    assertThat(inv.path("status").asText()).isEqualTo("AUTHORISED");
    assertThat(inv.path("dueDate").asText()).isEqualTo("2026-03-31");

    JsonNode pay = ok(ctl("POST", t + "/payments", "{\"invoiceId\":\"" + id + "\",\"amount\":40}"));
    ok(ctl("POST", t + "/credit-notes", "{\"invoiceId\":\"" + id + "\",\"amount\":\"10.00\"}"));
    assertThat(org.invoice(id).amountDue()).isEqualByComparingTo("50.00");
    JsonNode reversed =
        ok(ctl("POST", t + "/payments/" + pay.path("paymentId").asText() + "/reverse", null));
    assertThat(reversed.path("status").asText()).isEqualTo("DELETED");
    assertThat(org.invoice(id).amountDue()).isEqualByComparingTo("90.00");

    SimHttp.Resp over =
        ctl("POST", t + "/payments", "{\"invoiceId\":\"" + id + "\",\"amount\":\"1000\"}");
    assertThat(over.status()).as("the books refuse it, in Xero's words").isEqualTo(422);
    assertThat(over.json().path("detail").asText()).isNotBlank();
    assertThat(
            ctl("POST", t + "/payments", "{\"invoiceId\":\"" + id + "\",\"amount\":\"1.001\"}")
                .status())
        .isEqualTo(400);

    String credit =
        ok(ctl("POST", t + "/credit-notes", "{\"contactId\":\"" + contact + "\",\"amount\":5}"))
            .path("creditNoteId")
            .asText();
    JsonNode applied =
        ok(
            ctl(
                "POST",
                t + "/credit-notes/" + credit + "/allocations",
                "{\"invoiceId\":\"" + id + "\",\"amount\":\"5\"}"));
    assertThat(applied.path("remainingCredit").decimalValue())
        .isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(org.invoice(id).amountDue()).isEqualByComparingTo("85.00");

    String draft =
        ok(ctl(
                "POST",
                t + "/invoices",
                "{\"contactId\":\"" + contact + "\",\"total\":5,\"status\":\"draft\"}"))
            .path("invoiceId")
            .asText();
    assertThat(
            ok(ctl("POST", t + "/invoices/" + draft + "/status", "{\"status\":\"DELETED\"}"))
                .path("status")
                .asText())
        .isEqualTo("DELETED");
  }

  @Test
  void theClockMovesOnlyForward() {
    Instant before = sim.clock().instant();
    Instant now =
        Instant.parse(ok(ctl("POST", "/clock", "{\"advance\":\"PT1H\"}")).path("now").asText());
    assertThat(now).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
    assertThat(ctl("POST", "/clock", "{\"set\":\"2000-01-01T00:00:00Z\"}").status()).isEqualTo(400);
    assertThat(
            ctl("POST", "/clock", "{\"advance\":\"PT1H\",\"set\":\"2100-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(400);
    assertThat(ctl("POST", "/clock", "{\"advance\":\"-PT1H\"}").status()).isEqualTo(400);
  }

  @Test
  void theReaderReadsOutsideTheTenantsLimitsAndCannotWrite() {
    SimOrganisation org = organisation("Reader Ltd");
    String tenant = org.tenantId();
    SimHttp.Resp first = http.get(API + "/Invoices", app, tenant);
    int remaining = Integer.parseInt(first.header("X-MinLimit-Remaining"));
    int calls = sim.callCount(tenant);

    // More reads than the tenant's 60 a minute, with every call faulted for the app.
    sim.faults().serverErrors(1);
    try {
      for (int i = 0; i < 70; i++) {
        assertThat(http.get(API + "/Invoices", control.readerToken(), tenant).status())
            .isEqualTo(200);
      }
    } finally {
      sim.faults().clear();
    }
    assertThat(sim.callCount(tenant)).as("reader calls are not counted").isEqualTo(calls);
    assertThat(sim.reads(tenant)).hasSize(1);
    SimHttp.Resp next = http.get(API + "/Invoices", app, tenant);
    assertThat(next.status()).isEqualTo(200);
    assertThat(Integer.parseInt(next.header("X-MinLimit-Remaining"))).isEqualTo(remaining - 1);

    SimHttp.Resp write =
        http.send(
            "PUT",
            API + "/Contacts",
            control.readerToken(),
            tenant,
            "{\"Contacts\":[{\"Name\":\"X\"}]}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(
            http.send(
                    "POST",
                    API + "/Contacts",
                    control.readerToken(),
                    tenant,
                    "{\"Contacts\":[{\"Name\":\"X\"}]}")
                .status())
        .isEqualTo(403);
    assertThat(org.contacts()).isEmpty();
    assertThat(sim.writeAttempts()).noneMatch(w -> w.tenantId().equals(tenant));
    assertThat(http.get(API + "/Invoices", control.readerToken(), "no-such-tenant").status())
        .isEqualTo(403);
    assertThat(
            http.send(
                    "POST",
                    "/_sim/tenants/" + tenant + "/contacts",
                    control.readerToken(),
                    null,
                    "{\"name\":\"X\"}")
                .status())
        .isEqualTo(403);
    assertThat(org.contacts()).isEmpty();
  }
}
