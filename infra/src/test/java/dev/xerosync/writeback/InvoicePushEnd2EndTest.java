package dev.xerosync.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.Faults;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.ledger.InvoiceView;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commerce platform's push through the whole stack: write API → outbox → FIFO write queue →
 * write worker → the Xero simulator, and back through GET /operations/{id} and the query API.
 */
class InvoicePushEnd2EndTest extends WriteBackStage {
  private static final Duration WAIT = Duration.ofSeconds(20);

  static String invoice(String contactId, String status, String lines) {
    return "{\"contact\":{\"xeroContactId\":\""
        + contactId
        + "\"},"
        + (status == null ? "" : "\"status\":\"" + status + "\",")
        + "\"date\":\""
        + LocalDate.now()
        + "\",\"dueDate\":\""
        + LocalDate.now().plusDays(30)
        + "\",\"reference\":\"order-77\",\"lineItems\":"
        + lines
        + "}";
  }

  static final String TWO_LINES =
      "[{\"description\":\"Widget\",\"quantity\":3,\"unitAmount\":10,\"accountCode\":\"200\"},{\"description\":\"Gadget\",\"quantity\":1,\"unitAmount\":5,"
          + "\"accountCode\":\"200\",\"taxType\":\"NONE\"}]";

  private List<InvoiceView> invoicesNumbered(SimOrganisation org, String number) {
    return org.invoices().stream().filter(v -> number.equals(v.invoice().invoiceNumber())).toList();
  }

  @Test
  void aDraftWithLinesIsCreatedOnceAndShownByTheQueryApi() {
    SimOrganisation org = connected("Push Draft Ltd");
    String contact = org.createContact("Shopper One");
    WriteBackApi.Response accepted =
        api.send(
            "PUT", org.tenantId(), "/invoices/web-1001", invoice(contact, null, TWO_LINES), "k-1");
    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    assertThat(accepted.body().path("state").asText()).isIn("QUEUED", "SENDING", "SUCCEEDED");

    JsonNode done = api.awaitTerminal(org.tenantId(), accepted.operationId(), WAIT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    String invoiceId = done.path("xero").path("invoiceId").asText();
    List<InvoiceView> inXero = invoicesNumbered(org, "web-1001");
    assertThat(inXero).hasSize(1);
    assertThat(inXero.get(0).invoice().invoiceId()).isEqualTo(invoiceId);
    assertThat(inXero.get(0).status()).isEqualTo("DRAFT");
    assertThat(inXero.get(0).invoice().reference()).isEqualTo("order-77");
    // 3 x 10 = 30.00 + 15% GST, and 5.00 tax-free.
    assertThat(inXero.get(0).total()).isEqualByComparingTo("39.50");
    assertThat(done.path("xeroCalls").asInt()).isEqualTo(1);

    WriteBackApi.Response read = api.get(org.tenantId(), "/invoices/" + invoiceId);
    assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
    assertThat(read.body().path("invoiceNumber").asText()).isEqualTo("web-1001");
  }

  @Test
  void ourOwnPushComingBackAsAWebhookCostsNoRead() {
    SimOrganisation org = connected("Push Echo Ltd");
    String contact = org.createContact("Shopper Echo");
    JsonNode done =
        api.awaitTerminal(
            org.tenantId(),
            api.send(
                    "PUT",
                    org.tenantId(),
                    "/invoices/web-1501",
                    invoice(contact, "AUTHORISED", TWO_LINES),
                    null)
                .operationId(),
            WAIT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    String pushed = done.path("xero").path("invoiceId").asText();
    // Xero tells us about our own invoice; once that delivery is taken, a later change made in
    // Xero queues behind it for the tenant, so seeing the later one means the echo was handled.
    WriteBackApi.await(
        () ->
            stack.xero().deliveries().stream()
                .anyMatch(
                    d ->
                        d.status() == 200
                            && d.events().stream().anyMatch(e -> e.resourceId().equals(pushed))),
        WAIT);
    String later =
        org.createAuthorisedInvoice(
            contact, LocalDate.now(), LocalDate.now().plusDays(7), new BigDecimal("12.00"));
    WriteBackApi.await(() -> api.get(org.tenantId(), "/invoices/" + later).status() == 200, WAIT);

    List<String> reads = stack.xero().reads(org.tenantId());
    assertThat(reads).anyMatch(r -> r.contains(later));
    assertThat(reads)
        .as("the stored copy is Xero's own answer, as new as the event")
        .noneMatch(r -> r.contains(pushed));
    assertThat(api.get(org.tenantId(), "/invoices/" + pushed).body().path("total").decimalValue())
        .isEqualByComparingTo("39.50");
  }

  @Test
  void ourIdempotencyKeyReplaysTheSameOperationAndRefusesAnotherBody() {
    SimOrganisation org = connected("Push Keys Ltd");
    String contact = org.createContact("Shopper Two");
    String body = invoice(contact, null, TWO_LINES);
    WriteBackApi.Response first =
        api.send("PUT", org.tenantId(), "/invoices/web-2001", body, "key-a");
    WriteBackApi.Response again =
        api.send("PUT", org.tenantId(), "/invoices/web-2001", body, "key-a");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.operationId()).isEqualTo(first.operationId());
    assertThat(again.headers().get("idempotent-replayed")).containsExactly("true");

    WriteBackApi.Response other =
        api.send(
            "PUT",
            org.tenantId(),
            "/invoices/web-2001",
            invoice(contact, "AUTHORISED", TWO_LINES),
            "key-a");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.body().path("detail").asText())
        .contains("different request")
        .contains(first.operationId());

    api.awaitTerminal(org.tenantId(), first.operationId(), WAIT);
    assertThat(invoicesNumbered(org, "web-2001")).hasSize(1);
  }

  @Test
  void aLostResponseAfterCommitIsReconciledNotResent() {
    SimOrganisation org = connected("Push Lost Ltd");
    String contact = org.createContact("Shopper Three");
    stack.xero().faults().failNextWrites(Faults.WriteFault.RESPONSE_LOST_AFTER_COMMIT, 1);
    WriteBackApi.Response accepted =
        api.send(
            "PUT", org.tenantId(), "/invoices/web-3001", invoice(contact, null, TWO_LINES), null);
    JsonNode done = api.awaitTerminal(org.tenantId(), accepted.operationId(), WAIT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoicesNumbered(org, "web-3001")).hasSize(1);
    // One create whose answer was lost, one lookup by InvoiceNumbers= that adopted it.
    assertThat(done.path("xeroCalls").asInt()).isEqualTo(2);
    assertThat(done.path("xero").path("invoiceId").asText())
        .isEqualTo(invoicesNumbered(org, "web-3001").get(0).invoice().invoiceId());
  }

  @Test
  void serverErrorsAndRateLimitsBeforeCommitAreRetriedToOneInvoice() {
    SimOrganisation org = connected("Push Flaky Ltd");
    String contact = org.createContact("Shopper Four");
    stack.xero().faults().failNextWrites(Faults.WriteFault.SERVER_ERROR_BEFORE_COMMIT, 1);
    stack.xero().faults().failNextWrites(Faults.WriteFault.GATEWAY_TIMEOUT_AFTER_COMMIT, 1);
    WriteBackApi.Response accepted =
        api.send(
            "PUT", org.tenantId(), "/invoices/web-4001", invoice(contact, null, TWO_LINES), null);
    JsonNode done = api.awaitTerminal(org.tenantId(), accepted.operationId(), WAIT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoicesNumbered(org, "web-4001")).hasSize(1);
  }

  @Test
  void updatesFollowXerosRulesAndAVoidEndsIt() {
    SimOrganisation org = connected("Push Lifecycle Ltd");
    String contact = org.createContact("Shopper Five");
    String tenant = org.tenantId();
    JsonNode created =
        api.awaitTerminal(
            tenant,
            api.send("PUT", tenant, "/invoices/web-5001", invoice(contact, null, TWO_LINES), null)
                .operationId(),
            WAIT);
    assertThat(created.path("state").asText()).isEqualTo("SUCCEEDED");

    String oneLine =
        "[{\"description\":\"Widget\",\"quantity\":4,\"unitAmount\":10,\"accountCode\":\"200\"}]";
    JsonNode updated =
        api.awaitTerminal(
            tenant,
            api.send("PUT", tenant, "/invoices/web-5001", invoice(contact, null, oneLine), null)
                .operationId(),
            WAIT);
    assertThat(updated.path("state").asText()).as(updated.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoicesNumbered(org, "web-5001").get(0).total()).isEqualByComparingTo("46.00");

    JsonNode authorised =
        api.awaitTerminal(
            tenant,
            api.send(
                    "PUT",
                    tenant,
                    "/invoices/web-5001",
                    invoice(contact, "AUTHORISED", oneLine),
                    null)
                .operationId(),
            WAIT);
    assertThat(authorised.path("state").asText()).as(authorised.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoicesNumbered(org, "web-5001").get(0).status()).isEqualTo("AUTHORISED");

    JsonNode refused =
        api.awaitTerminal(
            tenant,
            api.send(
                    "PUT",
                    tenant,
                    "/invoices/web-5001",
                    invoice(contact, "AUTHORISED", TWO_LINES),
                    null)
                .operationId(),
            WAIT);
    assertThat(refused.path("state").asText()).isEqualTo("FAILED");
    assertThat(refused.path("code").asText()).isEqualTo("STATUS_NOT_MODIFIABLE");
    assertThat(refused.path("action").asText()).isNotBlank();
    assertThat(refused.path("xeroCalls").asInt()).isZero();

    JsonNode voided =
        api.awaitTerminal(
            tenant,
            api.send("POST", tenant, "/invoices/web-5001/void", null, null).operationId(),
            WAIT);
    assertThat(voided.path("state").asText()).as(voided.toString()).isEqualTo("SUCCEEDED");
    assertThat(invoicesNumbered(org, "web-5001").get(0).status()).isEqualTo("VOIDED");
    assertThat(invoicesNumbered(org, "web-5001")).hasSize(1);
  }

  @Test
  void xerosValidationMessagesEndTheOperationWithAnAction() {
    SimOrganisation org = connected("Push Invalid Ltd");
    String contact = org.createContact("Shopper Six");
    String badAccount =
        "[{\"description\":\"Widget\",\"quantity\":1,\"unitAmount\":10,\"accountCode\":\"999\"}]";
    JsonNode failed =
        api.awaitTerminal(
            org.tenantId(),
            api.send(
                    "PUT",
                    org.tenantId(),
                    "/invoices/web-6001",
                    invoice(contact, null, badAccount),
                    null)
                .operationId(),
            WAIT);
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("messages").toString()).contains("Account code '999'");
    assertThat(failed.path("code").asText()).isEqualTo("ACCOUNT_INVALID");
    assertThat(failed.path("action").asText()).contains("chart of accounts");
    assertThat(invoicesNumbered(org, "web-6001")).isEmpty();
  }

  @Test
  void skipAccountingKeepsTheInvoiceOutOfXero() {
    SimOrganisation org = connected("Push Skip Ltd");
    String contact = org.createContact("Shopper Seven");
    String body =
        invoice(contact, null, TWO_LINES).replaceFirst("\\{", "{\"skipAccounting\":true,");
    WriteBackApi.Response accepted =
        api.send("PUT", org.tenantId(), "/invoices/web-7001", body, null);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.body().path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(accepted.body().path("skipped").asBoolean()).isTrue();
    assertThat(invoicesNumbered(org, "web-7001")).isEmpty();
  }

  @Test
  void aMalformedWriteIsA400ThatSaysWhatIsWrong() {
    SimOrganisation org = connected("Push Bad Ltd");
    WriteBackApi.Response r =
        api.send("PUT", org.tenantId(), "/invoices/web-8001", "{\"lineItems\":[]}", null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("detail").asText()).contains("lineItems");
    assertThat(api.send("PUT", org.tenantId(), "/invoices/web-8001", "not json", null).status())
        .isEqualTo(400);
  }

  static BigDecimal money(String s) {
    return new BigDecimal(s);
  }
}
