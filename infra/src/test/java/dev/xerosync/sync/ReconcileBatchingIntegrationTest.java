package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.queue.DeferredSyncs;
import dev.xerosync.queue.SyncQueue;
import dev.xerosync.store.ConnectionStatus;
import dev.xerosync.store.Connections;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The hourly sweep queues its tenants ten to a SendMessageBatch (issue 24, finding 7: one call per
 * tenant in a 60 s function ran out of time at about 6-12k tenants), paced as before.
 */
class ReconcileBatchingIntegrationTest {
  @Test
  void aSweepOfManyTenantsSendsTenToACall() {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    ExecutionInterceptor counter =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
          }
        };
    try (LocalAws aws = LocalAws.start();
        SqsClient sqs =
            SqsClient.builder()
                .endpointOverride(aws.sqsEndpoint())
                .region(LocalAws.region())
                .credentialsProvider(LocalAws.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build()) {
      var connections = new Connections(aws.dynamoDb(), aws.resources().tableName("Table"));
      int tenants = 95;
      for (int i = 0; i < tenants; i++) {
        String tenant = "tenant-" + i;
        connections.recordConnected(
            tenant, "saas", "Org " + i, "a@b.c", "conn-" + i, "http://x", Instant.now());
        connections.setStatus(tenant, ConnectionStatus.CONNECTED, null, null);
      }
      var handler =
          new ReconcileHandler(
              connections,
              new SyncQueue(sqs, aws.resources().queueUrl("SyncQueue")),
              new DeferredSyncs(sqs, aws.resources().queueUrl("SyncDelayQueue"), Clock.systemUTC()),
              new SweepPacing(2, Duration.ofHours(1)),
              Clock.systemUTC());
      assertThat(handler.handleRequest(null, null)).isEqualTo("queued " + tenants + " sweeps");
      Map<String, Integer> counts = new TreeMap<>();
      calls.forEach(c -> counts.merge(c, 1, Integer::sum));
      assertThat(counts).doesNotContainKey("SendMessage");
      assertThat(counts.get("SendMessageBatch")).isLessThanOrEqualTo(tenants / 10 + 2);
      int queued = waiting(aws, "SyncQueue") + waiting(aws, "SyncDelayQueue");
      assertThat(queued).as("every tenant's sweep queued once").isEqualTo(tenants);
    }
  }

  @Test
  void aTenantWhoseLastSweepWasCleanIsSweptOnlyOnItsTurn() {
    Instant now = Instant.parse("2026-11-30T10:00:00Z");
    Clock clock = Clock.fixed(now, java.time.ZoneOffset.UTC);
    SweepPacing pacing = new SweepPacing(2, Duration.ofHours(1), Duration.ofHours(3));
    try (LocalAws aws = LocalAws.start()) {
      var connections = new Connections(aws.dynamoDb(), aws.resources().tableName("Table"));
      int tenants = 30;
      int expected = 0;
      for (int i = 0; i < tenants; i++) {
        String tenant = "tenant-" + i;
        connections.recordConnected(
            tenant, "saas", "Org " + i, "a@b.c", "conn-" + i, "http://x", now);
        connections.setStatus(tenant, ConnectionStatus.CONNECTED, null, null);
        // Every third tenant's last sweep missed a change: swept every hour.
        boolean clean = i % 3 != 0;
        connections.recordSweep(tenant, now.minus(Duration.ofMinutes(30)), clean);
        if (pacing.due(tenant, now, now.minus(Duration.ofMinutes(30)), clean)) {
          expected++;
        }
      }
      assertThat(connections.registered())
          .filteredOn(r -> r.tenantId().equals("tenant-1"))
          .singleElement()
          .satisfies(r -> assertThat(r.sweepClean()).isTrue());
      var handler =
          new ReconcileHandler(
              connections,
              new SyncQueue(aws.sqs(), aws.resources().queueUrl("SyncQueue")),
              new DeferredSyncs(aws.sqs(), aws.resources().queueUrl("SyncDelayQueue"), clock),
              pacing,
              clock);
      assertThat(expected)
          .as("the ten unclean, and the clean ones only on their turn")
          .isGreaterThanOrEqualTo(10)
          .isLessThan(tenants);
      assertThat(handler.handleRequest(null, null)).isEqualTo("queued " + expected + " sweeps");
      int queued = waiting(aws, "SyncQueue") + waiting(aws, "SyncDelayQueue");
      assertThat(queued).isEqualTo(expected);
    }
  }

  private static int waiting(LocalAws aws, String queue) {
    return aws
        .sqs()
        .getQueueAttributes(
            r ->
                r.queueUrl(aws.resources().queueUrl(queue))
                    .attributeNamesWithStrings(
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"))
        .attributesAsStrings()
        .values()
        .stream()
        .mapToInt(Integer::parseInt)
        .sum();
  }
}
