package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.xero.SimClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local SQS event source mapping against ElasticMQ, with a handler that fails on purpose. */
class SqsEventSourceIntegrationTest {
  private static final int MAX_RECEIVES = 3;
  private static LocalAws aws;
  private static int runs;

  private String queueUrl;
  private String dlqUrl;
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    aws = LocalAws.start();
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @BeforeEach
  void queues() {
    int run = ++runs;
    dlqUrl =
        aws.sqs()
            .createQueue(
                r ->
                    r.queueName("es-dlq-" + run + ".fifo")
                        .attributesWithStrings(Map.of("FifoQueue", "true")))
            .queueUrl();
    String dlqArn =
        aws.sqs()
            .getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNamesWithStrings("QueueArn"))
            .attributesAsStrings()
            .get("QueueArn");
    queueUrl =
        aws.sqs()
            .createQueue(
                r ->
                    r.queueName("es-main-" + run + ".fifo")
                        .attributesWithStrings(
                            Map.of(
                                "FifoQueue", "true",
                                "VisibilityTimeout", "1",
                                "RedrivePolicy",
                                    "{\"deadLetterTargetArn\":\""
                                        + dlqArn
                                        + "\",\"maxReceiveCount\":\""
                                        + MAX_RECEIVES
                                        + "\"}")))
            .queueUrl();
  }

  private SqsEventSource source(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
    return source(handler, Clock.systemUTC());
  }

  private SqsEventSource source(RequestHandler<SQSEvent, SQSBatchResponse> handler, Clock clock) {
    return new SqsEventSource(
        aws.sqs(),
        new SqsEventSource.Mapping(
            "TestFunction",
            queueUrl,
            "arn:aws:sqs:us-east-1:000000000000:q",
            10,
            null,
            true,
            1,
            Duration.ofSeconds(30)),
        handler,
        clock);
  }

  private void send(String group, String body) {
    aws.sqs()
        .sendMessage(
            r ->
                r.queueUrl(queueUrl)
                    .messageGroupId(group)
                    .messageDeduplicationId(body)
                    .messageBody(body));
  }

  /**
   * Fails the messages whose body starts with "poison"; the event source, not this double, is under
   * test.
   */
  private SQSBatchResponse failPoison(SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      delivered.add(m.getBody());
      assertThat(m.getEventSource()).isEqualTo("aws:sqs");
      assertThat(m.getAttributes())
          .containsKeys("ApproximateReceiveCount", "MessageGroupId", "SentTimestamp");
      if (m.getBody().startsWith("poison")) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  @Test
  void successesAreDeletedAndAPoisonMessageEndsInTheDeadLetterQueue() throws Exception {
    send("tenant-a", "ok-1");
    send("tenant-b", "poison-1");
    send("tenant-c", "ok-2");
    SqsEventSource source = source((event, context) -> failPoison(event));

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && dlqDepth() == 0) {
      source.pollOnce();
    }

    assertThat(dlqBodies()).containsExactly("poison-1");
    assertThat(delivered.stream().filter("ok-1"::equals)).hasSize(1);
    assertThat(delivered.stream().filter("ok-2"::equals)).hasSize(1);
    assertThat(delivered.stream().filter("poison-1"::equals)).hasSize(MAX_RECEIVES);
    assertThat(source.deleted()).isEqualTo(2);
  }

  @Test
  void aHandlerThatThrowsDeletesNothing() throws Exception {
    send("tenant-a", "ok-1");
    SqsEventSource source =
        source(
            (event, context) -> {
              throw new IllegalStateException("worker crashed mid-batch");
            });

    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(source.deleted()).isZero();
    Thread.sleep(1200);
    assertThat(source((event, context) -> failPoison(event)).pollOnce()).isEqualTo(1);
    assertThat(delivered).containsExactly("ok-1");
  }

  @Test
  void aFailureNamingAMessageOutsideTheBatchFailsTheWholeBatch() {
    send("tenant-a", "ok-1");
    SqsEventSource source =
        source(
            (event, context) ->
                new SQSBatchResponse(
                    List.of(new SQSBatchResponse.BatchItemFailure("not-in-batch"))));

    source.pollOnce();

    assertThat(source.deleted()).isZero();
    assertThat(source.failed()).isEqualTo(1);
  }

  private int dlqDepth() {
    return Integer.parseInt(
        aws.sqs()
            .getQueueAttributes(
                r -> r.queueUrl(dlqUrl).attributeNamesWithStrings("ApproximateNumberOfMessages"))
            .attributesAsStrings()
            .get("ApproximateNumberOfMessages"));
  }

  private List<String> dlqBodies() {
    return aws
        .sqs()
        .receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10))
        .messages()
        .stream()
        .map(software.amazon.awssdk.services.sqs.model.Message::body)
        .toList();
  }

  /**
   * The functions' clock moved a day ahead (the simulator's, POST /_sim/clock): a message's
   * timestamps are told in it, so a message sent now is not dated a day before the read it feeds.
   */
  @Test
  void theQueuesTimestampsAreToldInTheFunctionsClock() {
    SimClock clock = new SimClock();
    clock.advance(Duration.ofDays(1));
    long before = clock.millis();
    send("tenant-a", "ok-1");
    List<Long> sent = Collections.synchronizedList(new ArrayList<>());
    SqsEventSource source =
        source(
            (event, context) -> {
              event
                  .getRecords()
                  .forEach(m -> sent.add(Long.parseLong(m.getAttributes().get("SentTimestamp"))));
              return new SQSBatchResponse(List.of());
            },
            clock);

    assertThat(source.pollOnce()).isEqualTo(1);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).isBetween(before - 2000, clock.millis());
  }
}
