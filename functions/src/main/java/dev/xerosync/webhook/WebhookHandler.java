package dev.xerosync.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.xerosync.common.ApiResponses;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.connect.AppSecrets;
import dev.xerosync.sync.SyncQueue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Receives Xero's webhooks. The signature is the authentication: a wrong one gets 401 and nothing is
 * enqueued; a right one gets 200 with an empty body once its events are on the queue, which is also
 * how Xero's intent-to-receive check is passed.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Log LOG = Log.of(WebhookHandler.class);

    private final WebhookSignature signature;
    private final SyncQueue queue;

    public WebhookHandler() {
        this(Environment.process());
    }

    public WebhookHandler(Environment env) {
        this(new WebhookSignature(AppSecrets.field(env, "webhookKey", "XERO_WEBHOOK_KEY")),
                new SyncQueue(AwsClients.sqs(env), env.required("SYNC_QUEUE_URL")));
    }

    public WebhookHandler(WebhookSignature signature, SyncQueue queue) {
        this.signature = signature;
        this.queue = queue;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        byte[] body = rawBody(request);
        if (!signature.verify(body, header(request.getHeaders(), "x-xero-signature"))) {
            LOG.warn("webhook rejected: bad signature", "bytes", body.length);
            return ApiResponses.empty(401);
        }
        WebhookDelivery delivery;
        try {
            delivery = WebhookDelivery.parse(body);
        } catch (WebhookDelivery.MalformedDeliveryException e) {
            LOG.warn("webhook rejected: malformed", "reason", e.getMessage());
            return ApiResponses.problem(400, "Malformed webhook delivery", e.getMessage());
        }
        String correlationId = context == null ? null : context.getAwsRequestId();
        int messages;
        try {
            messages = queue.enqueue(delivery.events(), correlationId);
        } catch (RuntimeException e) {
            // Not the sender's fault: a 5xx makes Xero deliver again, and SQS deduplicates what did get through.
            LOG.error("webhook events could not be enqueued", e, "events", delivery.events().size(), "correlationId", correlationId);
            return ApiResponses.problem(503, "Sync queue unavailable", "The events were not stored; Xero will deliver them again.");
        }
        LOG.info("webhook accepted", "events", delivery.events().size(), "messages", messages, "correlationId", correlationId);
        return ApiResponses.empty(200);
    }

    /** The exact bytes Xero signed: API Gateway hands them over as text, or base64 for binary media types. */
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

    static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }
}
