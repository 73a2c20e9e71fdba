package dev.xerosync.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Counts the DynamoDB requests a client makes and the read capacity they consume: it asks every
 * read for ReturnConsumedCapacity=TOTAL, so production code need not.
 */
final class RequestCounter implements ExecutionInterceptor {
  private final List<String> operations = Collections.synchronizedList(new ArrayList<>());
  private double rcu;

  DynamoDbClient client(QueryTable table) {
    return DynamoDbClient.builder()
        .endpointOverride(table.aws.dynamoDbEndpoint())
        .region(dev.xerosync.infra.aws.LocalAws.region())
        .credentialsProvider(dev.xerosync.infra.aws.LocalAws.credentials())
        .httpClientBuilder(
            software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
        .overrideConfiguration(c -> c.addExecutionInterceptor(this))
        .build();
  }

  @Override
  public software.amazon.awssdk.core.SdkRequest modifyRequest(
      Context.ModifyRequest context, ExecutionAttributes attributes) {
    var request = context.request();
    if (request instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest q) {
      return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof software.amazon.awssdk.services.dynamodb.model.GetItemRequest g) {
      return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest b) {
      return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    return request;
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    var response = context.response();
    synchronized (this) {
      if (response instanceof QueryResponse q && q.consumedCapacity() != null) {
        rcu += q.consumedCapacity().capacityUnits();
      } else if (response instanceof GetItemResponse g && g.consumedCapacity() != null) {
        rcu += g.consumedCapacity().capacityUnits();
      } else if (response instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) {
        rcu += b.consumedCapacity().stream().mapToDouble(ConsumedCapacity::capacityUnits).sum();
      }
    }
  }

  synchronized void reset() {
    operations.clear();
    rcu = 0;
  }

  List<String> operations() {
    return List.copyOf(operations);
  }

  synchronized double rcu() {
    return rcu;
  }
}
