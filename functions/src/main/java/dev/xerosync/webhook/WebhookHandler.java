package dev.xerosync.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.common.Metrics;
import dev.xerosync.common.Priming;
import dev.xerosync.common.Problem;
import dev.xerosync.common.Requests;
import dev.xerosync.queue.SyncQueue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Receives Xero's webhooks. The signature is the authentication: a wrong one gets 401 and nothing
 * is enqueued; a right one gets 200 with an empty body once its events are on the queue, which is
 * also how Xero's intent-to-receive check is passed.
 */
public final class WebhookHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Log LOG = Log.of(WebhookHandler.class);

  private final WebhookSignature signature;
  private final SyncQueue queue;

  public WebhookHandler() {
    this(Environment.process());
    Priming.register(WebhookHandler.class, this::prime);
  }

  /** From the function's environment: the process's in Lambda, the local host's locally. */
  public WebhookHandler(Environment env) {
    this(WebhookWiring.of(env));
  }

  public WebhookHandler(WebhookWiring w) {
    this(w.signature(), w.queue());
  }

  public WebhookHandler(WebhookSignature signature, SyncQueue queue) {
    this.signature = signature;
    this.queue = queue;
  }

  @Override
  @SuppressWarnings("try") // the scope is used through Log's thread context
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent request, Context context) {
    // The request id follows the events to the worker (SyncRequest.correlationId) and into every
    // log line.
    try (var scope =
        Log.scope(Log.CORRELATION_ID, context == null ? null : context.getAwsRequestId())) {
      return handle(request, Log.correlationId());
    }
  }

  private APIGatewayProxyResponseEvent handle(
      APIGatewayProxyRequestEvent request, @Nullable String correlationId) {
    Metrics.count(Metrics.WEBHOOKS_RECEIVED, 1);
    byte[] body;
    try {
      body = rawBody(request);
    } catch (IllegalArgumentException notBase64) {
      Metrics.count(Metrics.WEBHOOKS_REJECTED, 1);
      LOG.warn("webhook rejected: body marked base64 is not base64");
      return ApiResponses.problem(
          400,
          "Malformed webhook delivery",
          "The body is marked isBase64Encoded but is not valid base64.");
    }
    if (!signature.verify(body, Requests.header(request.getHeaders(), "x-xero-signature"))) {
      Metrics.count(Metrics.WEBHOOKS_REJECTED, 1);
      LOG.warn("webhook rejected: bad signature", "bytes", body.length);
      return ApiResponses.empty(401);
    }
    WebhookDelivery delivery;
    try {
      delivery = WebhookDelivery.parse(body);
    } catch (Problem e) {
      Metrics.count(Metrics.WEBHOOKS_REJECTED, 1);
      LOG.warn("webhook rejected: malformed", "reason", e.getMessage());
      return e.response();
    }
    List<WebhookDelivery.Event> events = InvalidEvents.dropFrom(delivery.events());
    int messages;
    try {
      var folded = DeliveryFold.fold(events, correlationId);
      queue.send(folded);
      messages = folded.size();
    } catch (RuntimeException e) {
      // Not the sender's fault: a 5xx makes Xero deliver again, and SQS deduplicates what did get
      // through.
      LOG.error(
          "webhook events could not be enqueued",
          e,
          "events",
          events.size(),
          "correlationId",
          correlationId);
      return ApiResponses.problem(
          503,
          "Sync queue unavailable",
          "The events were not stored; Xero will deliver them again.");
    }
    Metrics.count(Metrics.EVENTS_ENQUEUED, events.size());
    LOG.info(
        "webhook accepted",
        "events",
        events.size(),
        "messages",
        messages,
        "correlationId",
        correlationId);
    return ApiResponses.empty(200);
  }

  /** Loads the request path's classes and warms the SQS client; sends nothing, counts nothing. */
  public void prime() {
    byte[] sample = PRIMING_DELIVERY.getBytes(StandardCharsets.UTF_8);
    signature.verify(sample, "cHJpbWluZw==");
    try {
      WebhookDelivery.parse(sample);
    } catch (Problem e) {
      throw new IllegalStateException("the priming delivery is malformed", e);
    }
    ApiResponses.empty(200);
    queue.prime();
  }

  private static final String PRIMING_DELIVERY =
      "{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/00000000-0000-0000-0000-000000000000\","
          + "\"resourceId\":\"00000000-0000-0000-0000-000000000000\",\"eventDateUtc\":\"2026-01-01T00:00:00.000\",\"eventType\":\"UPDATE\","
          + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"00000000-0000-0000-0000-000000000000\",\"tenantType\":\"ORGANISATION\"}],"
          + "\"firstEventSequence\":1,\"lastEventSequence\":1,\"entropy\":\"cHJpbWluZw==\"}";

  /**
   * The exact bytes Xero signed: API Gateway hands them over as text, or base64 for binary media
   * types.
   */
  static byte[] rawBody(APIGatewayProxyRequestEvent request) {
    String body = request.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (Boolean.TRUE.equals(request.getIsBase64Encoded())) {
      return Base64.getDecoder().decode(body);
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
