package dev.xerosync.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.Faults;
import dev.xerosync.infra.xero.SimOrganisation;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The historical push through the whole stack: POST /history/invoices → outbox → write worker → the
 * simulator's batch writes (50 to a request, summarizeErrors=false), each invoice with its own
 * outcome, and nothing sent twice after a lost answer or a second push of the same history.
 */
class InvoiceHistoryEnd2EndTest extends WriteBackStage {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static String invoice(String id, String contact, String accountCode) {
    return "{\"invoiceId\":\""
        + id
        + "\",\"contact\":"
        + contact
        + ",\"status\":\"AUTHORISED\",\"date\":\""
        + LocalDate.now().minusYears(1)
        + "\",\"dueDate\":\""
        + LocalDate.now().minusYears(1).plusDays(30)
        + "\",\"lineItems\":[{\"description\":\"Old order\",\"quantity\":2,\"unitAmount\":12.5,"
        + "\"accountCode\":\""
        + accountCode
        + "\"}]}";
  }

  private static String push(String pushId, int count, IntFunction<String> invoice) {
    List<String> invoices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      invoices.add(invoice.apply(i));
    }
    return "{\"pushId\":\"" + pushId + "\",\"invoices\":[" + String.join(",", invoices) + "]}";
  }

  private static Map<String, Long> numbersInXero(SimOrganisation org, String prefix) {
    return org.invoices().stream()
        .map(v -> v.invoice().invoiceNumber())
        .filter(n -> n != null && n.startsWith(prefix))
        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
  }

  @Test
  void aPushGoesInBatchesOf50AndEachInvoiceEndsWithItsOwnState() {
    SimOrganisation org = connected("History Mixed Ltd");
    String tenant = org.tenantId();
    String body =
        push(
            "history-1",
            75,
            i ->
                invoice(
                    "old-" + i,
                    "{\"externalId\":\"cust-"
                        + i % 3
                        + "\",\"name\":\"Old Customer "
                        + i % 3
                        + "\"}",
                    i == 60 ? "999" : "200"));

    WriteBackApi.Response dry =
        api.send("POST", tenant, "/history/invoices?validate=only", body, null);
    assertThat(dry.status()).as(dry.body().toString()).isEqualTo(200);

    WriteBackApi.Response accepted = api.send("POST", tenant, "/history/invoices", body, "h-1");
    assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
    JsonNode done = api.awaitTerminal(tenant, accepted.operationId(), WAIT);

    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("NEEDS_ATTENTION");
    assertThat(done.path("code").asText()).isEqualTo("SOME_INVOICES_REFUSED");
    assertThat(done.path("messages").get(0).asText()).startsWith("74 of 75 invoices are in Xero");
    JsonNode elements = done.path("elements");
    assertThat(elements).hasSize(75);
    for (int i = 0; i < 75; i++) {
      JsonNode e = elements.get(i);
      assertThat(e.path("invoiceId").asText()).isEqualTo("old-" + i);
      if (i == 60) {
        assertThat(e.path("state").asText()).isEqualTo("FAILED");
        assertThat(e.path("code").asText()).isEqualTo("ACCOUNT_INVALID");
        assertThat(e.path("messages").toString()).contains("Account code '999'");
      } else {
        assertThat(e.path("state").asText()).as(e.toString()).isEqualTo("SUCCEEDED");
        assertThat(e.path("xero").path("invoiceId").asText()).isNotEmpty();
      }
    }
    Map<String, Long> inXero = numbersInXero(org, "old-");
    assertThat(inXero).hasSize(74).doesNotContainKey("old-60");
    assertThat(inXero.values()).containsOnly(1L);
    // Three new customers (looked up, then created) and two batch creates: 50 and 25.
    assertThat(done.path("xeroCalls").asInt()).isEqualTo(3 * 2 + 2);
    assertThat(org.contacts().stream().filter(c -> c.name().startsWith("Old Customer")).count())
        .isEqualTo(3);
  }

  @Test
  void aLostAnswerIsReconciledByInvoiceNumbersAndAPushedHistoryIsNeverSentTwice() {
    SimOrganisation org = connected("History Lost Ltd");
    String tenant = org.tenantId();
    String contact = "{\"xeroContactId\":\"" + org.createContact("Old Shopper") + "\"}";
    IntFunction<String> invoice = i -> invoice("lost-" + i, contact, "200");
    stack.xero().faults().failNextWrites(Faults.WriteFault.RESPONSE_LOST_AFTER_COMMIT, 1);

    JsonNode done =
        api.awaitTerminal(
            tenant,
            api.send("POST", tenant, "/history/invoices", push("history-2", 60, invoice), null)
                .operationId(),
            WAIT);
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    Map<String, Long> inXero = numbersInXero(org, "lost-");
    assertThat(inXero).hasSize(60);
    assertThat(inXero.values()).containsOnly(1L);
    // The first batch's lost answer, one InvoiceNumbers= lookup that adopted its 50, one lookup
    // for the second batch (it was never sent) and its create.
    assertThat(done.path("xeroCalls").asInt()).isEqualTo(4);
    assertThat(done.path("elements").get(0).path("messages").toString())
        .contains("Found in Xero after an unconfirmed send");

    JsonNode again =
        api.awaitTerminal(
            tenant,
            api.send("POST", tenant, "/history/invoices", push("history-2b", 60, invoice), null)
                .operationId(),
            WAIT);
    assertThat(again.path("state").asText()).as(again.toString()).isEqualTo("SUCCEEDED");
    assertThat(again.path("xeroCalls").asInt()).isZero();
    assertThat(again.path("elements").get(59).path("messages").toString())
        .contains("Already in Xero");
    assertThat(numbersInXero(org, "lost-").values()).containsOnly(1L);
  }

  @Test
  void aMalformedPushIsA400ThatSaysWhatIsWrong() {
    SimOrganisation org = connected("History Bad Ltd");
    String tenant = org.tenantId();
    String contact = "{\"externalId\":\"c-1\",\"name\":\"C One\"}";
    WriteBackApi.Response tooMany =
        api.send(
            "POST",
            tenant,
            "/history/invoices",
            push("h-big", 101, i -> invoice("big-" + i, contact, "200")),
            null);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body().path("detail").asText()).contains("at most 100 invoices");

    WriteBackApi.Response twice =
        api.send(
            "POST",
            tenant,
            "/history/invoices",
            push("h-dup", 2, i -> invoice("dup-1", contact, "200")),
            null);
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.body().path("detail").asText())
        .contains("invoices[1].invoiceId dup-1 appears twice");

    WriteBackApi.Response noContact =
        api.send(
            "POST",
            tenant,
            "/history/invoices",
            "{\"pushId\":\"h-nc\",\"invoices\":[{\"invoiceId\":\"nc-1\",\"lineItems\":"
                + "[{\"description\":\"x\",\"quantity\":1,\"unitAmount\":1}]}]}",
            null);
    assertThat(noContact.status()).isEqualTo(400);
    assertThat(noContact.body().path("detail").asText()).contains("invoices[0] needs a contact");
    assertThat(numbersInXero(org, "")).isEmpty();
  }
}
