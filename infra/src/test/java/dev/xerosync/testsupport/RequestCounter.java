package dev.xerosync.testsupport;

import dev.xerosync.infra.aws.LocalAws;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Counts the DynamoDB requests a client makes and the read capacity they consume: it asks every
 * read for ReturnConsumedCapacity=TOTAL, so production code need not. A Scan fails the request: no
 * read path may scan.
 */
public final class RequestCounter implements ExecutionInterceptor {
  private final List<String> operations = Collections.synchronizedList(new ArrayList<>());
  private double rcu;

  /** A client on {@code aws}'s DynamoDB whose every request this counter sees. */
  public DynamoDbClient client(LocalAws aws) {
    return DynamoDbClient.builder()
        .endpointOverride(aws.dynamoDbEndpoint())
        .region(LocalAws.region())
        .credentialsProvider(LocalAws.credentials())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(c -> c.addExecutionInterceptor(this))
        .build();
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    if ("Scan".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      throw new IllegalStateException("a Scan was made");
    }
    SdkRequest request = context.request();
    if (request instanceof QueryRequest q) {
      return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof GetItemRequest g) {
      return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
    }
    if (request instanceof BatchGetItemRequest b) {
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

  public synchronized void reset() {
    operations.clear();
    rcu = 0;
  }

  public List<String> operations() {
    return List.copyOf(operations);
  }

  public int requests() {
    return operations.size();
  }

  public synchronized double rcu() {
    return rcu;
  }
}
