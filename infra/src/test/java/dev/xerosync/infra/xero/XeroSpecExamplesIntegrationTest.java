package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.xero.XeroSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The published spec's own examples (Invoices, Payments, errors, connections) read the way the
 * simulator writes: same date encodings, and every field the simulator emits is one Xero shows or
 * declares.
 */
@ExtendWith(XeroSpec.Needed.class)
class XeroSpecExamplesIntegrationTest {
  static JsonNode accounting, identity;
  static XeroSimulator sim;
  static SimHttp http;
  static SimOrganisation org;
  static String token;

  @BeforeAll
  static void load() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    accounting =
        yaml.readTree(XeroSimulatorContractIntegrationTest.spec("xero_accounting.yaml").toFile());
    identity =
        yaml.readTree(XeroSimulatorContractIntegrationTest.spec("xero-identity.yaml").toFile());
    sim = XeroSimulator.builder().app("app", "s").start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Examples");
    token = sim.grant("app", org.tenantId()).accessToken();
  }

  @AfterAll
  static void stop() {
    if (sim != null) { // null when the spec is missing and the class was skipped
      sim.close();
    }
  }

  static JsonNode example(String path, String method, String status) {
    return accounting.at(
        "/paths/"
            + path.replace("/", "~1")
            + "/"
            + method
            + "/responses/"
            + status
            + "/content/application~1json/example");
  }

  static Set<String> fields(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  static Set<String> schemaProps(String schema) {
    return fields(accounting.at("/components/schemas/" + schema + "/properties"));
  }

  @Test
  void invoicesExampleDatesParseAndFieldsMatchOurs() {
    JsonNode ex = example("/Invoices", "get", "200");
    assertThat(ex.get("Invoices")).hasSize(3);
    for (JsonNode inv : ex.get("Invoices")) {
      LocalDate date =
          LocalDate.ofInstant(XeroJson.parseMsDate(inv.get("Date").asText()), ZoneOffset.UTC);
      assertThat(XeroJson.dateString(date)).isEqualTo(inv.get("DateString").asText());
      assertThat(XeroJson.msDate(date)).isEqualTo(inv.get("Date").asText());
      LocalDateTime updated =
          LocalDateTime.ofInstant(
              XeroJson.parseMsDate(inv.get("UpdatedDateUTC").asText()), ZoneOffset.UTC);
      assertThat(updated.toString().substring(0, 19) + "Z")
          .isEqualTo(inv.get("UpdatedDateUTCString").asText());
    }
    JsonNode paidExample = ex.get("Invoices").get(1);
    assertThat(XeroJson.msDate(LocalDate.of(2018, 11, 29)))
        .isEqualTo(paidExample.get("FullyPaidOnDate").asText());

    String c = org.createContact("Barney Rubble");
    String id =
        org.createAuthorisedInvoice(
            c, LocalDate.of(2018, 10, 20), LocalDate.of(2018, 12, 30), new BigDecimal("46.00"));
    org.pay(id, new BigDecimal("46.00"), LocalDate.of(2018, 11, 29), "");
    JsonNode ours = http.get("/api.xro/2.0/Invoices?IDs=" + id, token, org.tenantId()).json();
    Set<String> allowed = new HashSet<>(schemaProps("Invoice"));
    allowed.addAll(fields(paidExample));
    assertThat(fields(ours.get("Invoices").get(0))).isSubsetOf(allowed);
    Set<String> expected = fields(paidExample);
    expected.removeAll(Set.of("UpdatedDateUTCString", "RepeatingInvoiceID"));
    assertThat(fields(ours.get("Invoices").get(0))).containsAll(expected);
    assertThat(fields(ours))
        .containsAll(Set.of("Id", "Status", "ProviderName", "DateTimeUTC", "Invoices"));
    JsonNode ourPay = ours.get("Invoices").get(0).get("Payments").get(0);
    assertThat(fields(ourPay))
        .isEqualTo(
            Set.of(
                "PaymentID",
                "Date",
                "Amount",
                "Reference",
                "CurrencyRate",
                "HasAccount",
                "HasValidationErrors"));
    assertThat(ourPay.get("Date").asText())
        .isEqualTo(paidExample.get("Payments").get(0).get("Date").asText());
  }

  @Test
  void paymentsExampleFieldsMatchOurs() {
    JsonNode ex = example("/Payments", "get", "200").get("Payments").get(0);
    assertThat(XeroJson.parseMsDate(ex.get("Date").asText()))
        .isEqualTo(LocalDate.of(2018, 11, 29).atStartOfDay(ZoneOffset.UTC).toInstant());
    String c = org.createContact("Payer");
    String id =
        org.createAuthorisedInvoice(
            c, LocalDate.of(2018, 10, 20), LocalDate.of(2018, 12, 30), new BigDecimal("46.00"));
    org.pay(id, new BigDecimal("46.00"), LocalDate.of(2018, 11, 29), "");
    JsonNode ours =
        http.get("/api.xro/2.0/Payments", token, org.tenantId()).json().get("Payments").get(0);
    Set<String> allowed = new HashSet<>(schemaProps("Payment"));
    allowed.addAll(fields(ex));
    assertThat(fields(ours)).isSubsetOf(allowed);
    Set<String> expected = fields(ex);
    expected.removeAll(Set.of("BatchPaymentID", "BatchPayment", "UpdatedDateUTCString"));
    assertThat(fields(ours)).containsAll(expected);
    assertThat(fields(ours.get("Invoice")))
        .containsAll(Set.of("Type", "InvoiceID", "InvoiceNumber", "Contact", "CurrencyCode"));
  }

  @Test
  void validationErrorExampleHasOurShape() {
    JsonNode ex =
        accounting.at("/paths/~1Accounts/put/responses/400/content/application~1json/example");
    assertThat(ex.get("Type").asText()).isEqualTo("ValidationException");
    JsonNode ours =
        http.send(
                "PUT",
                "/api.xro/2.0/Invoices",
                token,
                org.tenantId(),
                "{\"Invoices\":[{\"Type\":\"ACCREC\"}]}")
            .json();
    assertThat(fields(ours)).isEqualTo(fields(ex));
    assertThat(ours.get("ErrorNumber").asInt()).isEqualTo(ex.get("ErrorNumber").asInt());
    assertThat(ours.get("Message").asText()).isEqualTo(ex.get("Message").asText());
    assertThat(ours.at("/Elements/0/ValidationErrors/0/Message").isTextual()).isTrue();
    assertThat(ours.at("/Elements/0/Type").asText())
        .as("element echoes the submitted object")
        .isEqualTo("ACCREC");
  }

  @Test
  void connectionsExampleTimestampsHaveOurFormat() throws Exception {
    String raw =
        identity
            .at("/paths/~1Connections/get/responses/200/content/application~1json/example")
            .asText();
    JsonNode ex = XeroJson.MAPPER.readTree(raw).get(0);
    JsonNode ours = http.get("/connections", token, null).json().get(0);
    assertThat(fields(ours)).containsAll(fields(ex)).contains("authEventId");
    String pattern = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}";
    assertThat(ex.get("createdDateUtc").asText()).matches(pattern);
    assertThat(ours.get("createdDateUtc").asText()).matches(pattern);
  }
}
