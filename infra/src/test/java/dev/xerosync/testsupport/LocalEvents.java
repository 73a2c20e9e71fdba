package dev.xerosync.testsupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.notify.BusinessEvent;
import dev.xerosync.notify.EventFanOut;
import dev.xerosync.notify.SqsEventPublisher;
import dev.xerosync.queue.EventQueue;
import dev.xerosync.store.ConnectionRecords;
import dev.xerosync.store.Connections;
import dev.xerosync.store.Subscriptions;
import java.time.Instant;

/** The event channel of a local stack, as the worker that derives events uses it. */
public final class LocalEvents {
  private LocalEvents() {}

  /** The publisher the worker builds: fan-out to the tenant's subscriptions, then EventQueue. */
  public static SqsEventPublisher publisher(LocalStack stack) {
    var aws = stack.aws();
    String table = aws.resources().tableName("Table");
    ConnectionRecords records = new ConnectionRecords(aws.dynamoDb(), table);
    return new SqsEventPublisher(
        records,
        new EventFanOut(
            new Subscriptions(aws.dynamoDb(), table),
            records,
            new EventQueue(aws.sqs(), aws.resources().queueUrl("EventQueue"))));
  }

  /** Records that {@code saasTenantId} owns the tenant, as the connect callback does. */
  public static void own(LocalStack stack, String tenantId, String saasTenantId) {
    new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"))
        .recordConnected(
            tenantId,
            saasTenantId,
            "Events Ltd",
            "events@example.test",
            "conn-" + tenantId,
            stack.apiUrl().toString(),
            Instant.now());
  }

  /** An {@code invoice.*} event of one invoice, its data a small stand-in for the invoice view. */
  public static BusinessEvent invoiceEvent(
      String id, String type, String tenantId, String invoiceId, long sequence) {
    ObjectNode data = Json.MAPPER.createObjectNode().put("invoiceId", invoiceId).put("n", sequence);
    Instant now = Instant.now();
    return new BusinessEvent(id, type, tenantId, invoiceId, sequence, now, now, data, null);
  }
}
