package dev.xerosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change in the simulated Xero organisation reaches the query API through every hop: signed
 * webhook → API Gateway host → webhook function → SQS FIFO → worker → Xero API → DynamoDB → query
 * function. Breaking any hop makes the wait below time out.
 */
class PipelineEnd2EndTest {
  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(15);
  private static LocalStack stack;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, String> API_KEYS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aNewInvoiceAndItsInstalmentsArriveInTheQueryApi() throws Exception {
    SimOrganisation org = stack.xero().createOrganisation("Pipeline Test Ltd");
    stack.connect(org);
    String contactId = org.createContact("Wile E. Coyote");
    LocalDate today = LocalDate.now();
    String invoiceId =
        org.createAuthorisedInvoice(
            contactId, today.minusDays(3), today.plusDays(27), new BigDecimal("250.00"));

    JsonNode list =
        await(
            URI.create(
                stack.apiUrl()
                    + "/tenants/"
                    + org.tenantId()
                    + "/contacts/"
                    + contactId
                    + "/invoices"),
            body -> body.path("invoices").size() == 1);
    JsonNode listed = list.path("invoices").get(0);
    assertThat(listed.path("invoiceId").asText()).isEqualTo(invoiceId);
    assertThat(listed.path("status").asText()).isEqualTo("AUTHORISED");
    assertThat(listed.path("total").decimalValue()).isEqualByComparingTo("250.00");
    assertThat(listed.path("amountDue").decimalValue()).isEqualByComparingTo("250.00");
    assertThat(listed.path("dueDate").asText()).isEqualTo(today.plusDays(27).toString());

    org.pay(invoiceId, new BigDecimal("100.00"), today, "first instalment");
    URI invoiceUrl =
        URI.create(stack.apiUrl() + "/tenants/" + org.tenantId() + "/invoices/" + invoiceId);
    JsonNode detail = await(invoiceUrl, body -> body.path("instalments").size() == 1);
    assertThat(detail.path("amountPaid").decimalValue()).isEqualByComparingTo("100.00");
    assertThat(detail.path("amountDue").decimalValue()).isEqualByComparingTo("150.00");
    assertThat(detail.path("instalments").get(0).path("reference").asText())
        .isEqualTo("first instalment");

    org.pay(invoiceId, new BigDecimal("150.00"), today, "final instalment");
    JsonNode paid = await(invoiceUrl, body -> "PAID".equals(body.path("status").asText()));
    assertThat(paid.path("amountDue").decimalValue()).isEqualByComparingTo("0");
    assertThat(paid.path("instalments"))
        .extracting(i -> i.path("number").asInt())
        .containsExactly(1, 2);
  }

  @Test
  void anotherTenantsInvoiceIsNotVisibleUnderThisTenant() throws Exception {
    SimOrganisation mine = stack.xero().createOrganisation("Mine Ltd");
    SimOrganisation theirs = stack.xero().createOrganisation("Theirs Ltd");
    stack.connect(mine);
    stack.connect(theirs);
    String contact = theirs.createContact("Their Customer");
    String invoiceId =
        theirs.createAuthorisedInvoice(
            contact, LocalDate.now(), LocalDate.now().plusDays(7), new BigDecimal("10.00"));
    await(
        URI.create(stack.apiUrl() + "/tenants/" + theirs.tenantId() + "/invoices/" + invoiceId),
        body -> body.has("invoiceId"));

    HttpResponse<String> crossTenant =
        get(URI.create(stack.apiUrl() + "/tenants/" + mine.tenantId() + "/invoices/" + invoiceId));
    assertThat(crossTenant.statusCode()).isEqualTo(404);
  }

  private static JsonNode await(URI url, Predicate<JsonNode> arrived) throws Exception {
    long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
    JsonNode last = null;
    int lastStatus = 0;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(url);
      lastStatus = response.statusCode();
      if (lastStatus == 200) {
        last = Json.MAPPER.readTree(response.body());
        if (arrived.test(last)) {
          return last;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "change did not arrive at "
            + url
            + " within "
            + ARRIVAL_TIMEOUT
            + "; last status "
            + lastStatus
            + ", last body "
            + last);
  }

  /** With an API key issued for the tenant in the path, as the query API requires. */
  private static HttpResponse<String> get(URI url) throws Exception {
    String tenantId = url.getPath().replaceFirst(".*/tenants/([^/]+)/.*", "$1");
    String key = API_KEYS.computeIfAbsent(tenantId, t -> stack.issueApiKey(t, "e2e").secret());
    return HTTP.send(
        HttpRequest.newBuilder(url).header("x-api-key", key).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
