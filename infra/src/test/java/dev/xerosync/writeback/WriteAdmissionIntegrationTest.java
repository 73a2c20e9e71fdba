package dev.xerosync.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.infra.xero.SimOrganisation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Admission control at the seam: the write API takes a place in the tenant's queue (one conditional
 * update of its counts in DynamoDB) and answers 429 with Retry-After once the queue holds what
 * drains before the deadline. Here one write drains in the deadline (a minute limit of 2, whose
 * writes' share is 1 a minute, and a 1-minute deadline), and the worker takes messages without
 * running them, so the first write stays queued.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteAdmissionIntegrationTest {
  LocalStack stack;
  WriteBackApi api;

  @BeforeAll
  void start() throws Exception {
    RequestHandler<SQSEvent, SQSBatchResponse> idle =
        (event, context) -> SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
    stack =
        LocalStack.start(
            LocalStack.Options.defaults()
                .withHandler(
                    "WriteApiFunction",
                    env ->
                        new WriteApiHandler(
                            env.with(
                                Map.of(
                                    "XERO_MINUTE_CALL_LIMIT", "2",
                                    "WRITE_DEADLINE_MINUTES", "1"))))
                .withHandler("WriteWorkerFunction", env -> idle));
    api = new WriteBackApi(stack);
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aFullQueueRefusesTheNextWriteWith429AndRetryAfterAndTheQueuedOneShowsItsPlace() {
    SimOrganisation org = stack.xero().createOrganisation("Admission Ltd");
    stack.connect(org);
    String contact = "/contacts/adm-";

    WriteBackApi.Response first =
        api.send("PUT", org.tenantId(), contact + "1", "{\"name\":\"First\"}", "adm-1");
    WriteBackApi.Response second =
        api.send("PUT", org.tenantId(), contact + "2", "{\"name\":\"Second\"}", "adm-2");

    assertThat(first.status()).as(first.body().toString()).isEqualTo(202);
    assertThat(first.body().path("queue").path("position").asInt()).isEqualTo(1);
    assertThat(second.status()).as(second.body().toString()).isEqualTo(429);
    assertThat(second.body().path("title").asText()).isEqualTo("Write queue full");
    assertThat(second.headers().get("retry-after")).containsExactly("60");
    // Nothing was recorded for the refused write: its key is free for the retry.
    assertThat(
            api.send("PUT", org.tenantId(), contact + "2", "{\"name\":\"Second\"}", "adm-2")
                .status())
        .isEqualTo(429);

    JsonNode queued = api.get(org.tenantId(), "/operations/" + first.operationId()).body();
    assertThat(queued.path("state").asText()).isEqualTo("QUEUED");
    assertThat(queued.path("queue").path("position").asInt()).isEqualTo(1);
    assertThat(Instant.parse(queued.path("queue").path("expectedAt").asText()))
        .isBeforeOrEqualTo(Instant.now().plusSeconds(1));
    assertThat(Instant.parse(queued.path("deadline").asText()))
        .isEqualTo(Instant.parse(queued.path("createdAt").asText()).plusSeconds(60));
  }
}
