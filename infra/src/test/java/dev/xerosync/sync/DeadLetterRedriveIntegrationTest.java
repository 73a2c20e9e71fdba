package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import dev.xerosync.store.InvoiceStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change that failed past the redrive limit waits in the DLQ, and the redrive function brings it
 * home.
 */
class DeadLetterRedriveIntegrationTest {
  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        LocalStack.start(
            LocalStack.Options.defaults().withVisibilityTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMessageThatExhaustedItsRetriesIsRedrivenOnceXeroRecovers() {
    String table = stack.aws().resources().tableName("Table");
    InvoiceStore store = new InvoiceStore(stack.aws().dynamoDb(), table, Clock.systemUTC());
    Connections connections = new Connections(stack.aws().dynamoDb(), table);
    SimOrganisation org = stack.xero().createOrganisation("Outage Ltd");
    String contact = org.createContact("Customer");
    stack.connect(org);
    SyncEngineIntegrationTest.await(
        () ->
            connections
                .get(org.tenantId())
                .filter(c -> c.status() == ConnectionStatus.CONNECTED)
                .orElse(null),
        Duration.ofSeconds(30),
        "initial sync");

    stack.xero().faults().serverErrors(1.0);
    String invoice =
        org.createAuthorisedInvoice(
            contact, LocalDate.now(), LocalDate.now().plusDays(7), new BigDecimal("42.00"));
    String dlq = stack.aws().resources().queueUrl("SyncDeadLetterQueue");
    SyncEngineIntegrationTest.await(
        () -> depth(dlq) > 0 ? Boolean.TRUE : null,
        Duration.ofSeconds(90),
        "the message to be dead-lettered");
    assertThat(store.get(org.tenantId(), invoice)).isEmpty();

    stack.xero().faults().clear();
    var redrive =
        (RequestHandler<Map<String, Object>, Map<String, Object>>) stack.handler("RedriveFunction");
    Map<String, Object> answer = redrive.handleRequest(Map.of("queue", "sync", "max", 10), null);

    assertThat(answer).containsEntry("redriven", 1);
    SyncEngineIntegrationTest.await(
        () -> store.get(org.tenantId(), invoice).orElse(null),
        Duration.ofSeconds(15),
        "the redriven change");
    assertThat(depth(dlq)).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void badInputIsAnsweredWithWhatIsWrong() {
    var redrive =
        (RequestHandler<Map<String, Object>, Map<String, Object>>) stack.handler("RedriveFunction");
    assertThat(redrive.handleRequest(Map.of("queue", "nope"), null).get("error"))
        .asString()
        .contains("queue must be one of");
    assertThat(redrive.handleRequest(Map.of("max", "lots"), null).get("error"))
        .asString()
        .contains("whole number");
  }

  private static long depth(String url) {
    return Long.parseLong(
        stack
            .aws()
            .sqs()
            .getQueueAttributes(
                r -> r.queueUrl(url).attributeNamesWithStrings("ApproximateNumberOfMessages"))
            .attributesAsStrings()
            .get("ApproximateNumberOfMessages"));
  }
}
