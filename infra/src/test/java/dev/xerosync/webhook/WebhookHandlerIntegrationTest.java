package dev.xerosync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.queue.SyncQueue;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The webhook function against a real SQS FIFO queue, driven by the sample events in events/. */
class WebhookHandlerIntegrationTest {
  static final String SAMPLE_KEY = "sample-webhook-key-for-events-only";
  static final String TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f";

  private static LocalAws aws;
  private static int queues;
  private String queueUrl;
  private WebhookHandler handler;

  @BeforeAll
  static void start() throws Exception {
    aws = LocalAws.start();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @BeforeEach
  void freshQueue() {
    // A queue per test: same FIFO settings as the template's, no purge rate limit, no leftovers.
    queueUrl =
        aws.sqs()
            .createQueue(
                r ->
                    r.queueName("webhook-test-" + (++queues) + ".fifo")
                        .attributesWithStrings(
                            java.util.Map.of(
                                "FifoQueue", "true", "ContentBasedDeduplication", "false")))
            .queueUrl();
    handler =
        new WebhookHandler(new WebhookSignature(SAMPLE_KEY), new SyncQueue(aws.sqs(), queueUrl));
  }

  @Test
  void aSignedDeliveryIsEnqueuedAsOneMessagePerTenantInTheTenantsGroup() {
    APIGatewayProxyResponseEvent response =
        handler.handleRequest(event("webhook-signed.json"), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getBody()).isEmpty();
    List<Message> messages = receiveAll();
    assertThat(messages).hasSize(1);
    Message m = messages.get(0);
    assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)).isEqualTo(TENANT);
    JsonNode body = read(m.body());
    assertThat(body.path("tenantId").asText()).isEqualTo(TENANT);
    assertThat(body.path("invoiceIds"))
        .extracting(JsonNode::asText)
        .containsExactly("d4956132-ed94-4dd7-9eaa-aa22dfdf06f2");
    assertThat(body.path("contactIds"))
        .extracting(JsonNode::asText)
        .containsExactly("a3675fc4-f8dd-4f03-ba5b-f1870566bcd7");
  }

  @Test
  void aBadlySignedDeliveryIsRefusedAndNothingIsEnqueued() {
    APIGatewayProxyResponseEvent response =
        handler.handleRequest(event("webhook-bad-signature.json"), null);

    assertThat(response.getStatusCode()).isEqualTo(401);
    assertThat(response.getBody()).isEmpty();
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void xerosIntentToReceiveCheckIsAnsweredWithAnEmpty200() {
    APIGatewayProxyResponseEvent response =
        handler.handleRequest(event("webhook-intent-to-receive.json"), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getBody()).isEmpty();
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void aRedeliveryOfTheSameEventsIsDeduplicatedByTheQueue() {
    handler.handleRequest(event("webhook-signed.json"), null);
    handler.handleRequest(event("webhook-signed.json"), null);

    assertThat(receiveAll()).hasSize(1);
  }

  @Test
  void aSignedButMalformedDeliveryIsA400WithAProblemDocument() {
    APIGatewayProxyRequestEvent request = event("webhook-signed.json");
    String body = "{\"events\":\"not-a-list\"}";
    request.setBody(body);
    request
        .getHeaders()
        .put("x-xero-signature", new WebhookSignature(SAMPLE_KEY).sign(body.getBytes()));

    APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    assertThat(read(response.getBody()).path("detail").asText()).contains("events");
    assertThat(receiveAll()).isEmpty();
  }

  @Test
  void aBase64EncodedBodyIsVerifiedOverItsDecodedBytes() {
    APIGatewayProxyRequestEvent request = event("webhook-signed.json");
    request.setBody(java.util.Base64.getEncoder().encodeToString(request.getBody().getBytes()));
    request.setIsBase64Encoded(true);

    assertThat(handler.handleRequest(request, null).getStatusCode()).isEqualTo(200);
    assertThat(receiveAll()).hasSize(1);
  }

  @Test
  void aBodyMarkedBase64ThatIsNotIsA400AndNothingIsEnqueued() {
    APIGatewayProxyRequestEvent request = event("webhook-signed.json");
    request.setBody("%%% not base64 %%%");
    request.setIsBase64Encoded(true);

    APIGatewayProxyResponseEvent response = handler.handleRequest(request, null);

    assertThat(response.getStatusCode()).isEqualTo(400);
    assertThat(read(response.getBody()).path("detail").asText()).contains("base64");
    assertThat(receiveAll()).isEmpty();
  }

  private static APIGatewayProxyRequestEvent event(String name) {
    APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/" + name);
    e.setHeaders(new java.util.HashMap<>(e.getHeaders()));
    return e;
  }

  private List<Message> receiveAll() {
    return aws.sqs()
        .receiveMessage(
            r ->
                r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
        .messages();
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
