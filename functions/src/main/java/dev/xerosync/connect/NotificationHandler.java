package dev.xerosync.connect;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Json;
import dev.xerosync.common.Log;
import dev.xerosync.common.Priming;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers queued notifications to each SaaS tenant's notification URL, signed (see {@link
 * NotificationSignature}). A delivery without a 2xx answer is reported as a batch item failure, so
 * SQS retries it later; a SaaS tenant without a URL is skipped.
 */
public final class NotificationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private static final Log LOG = Log.of(NotificationHandler.class);

  private final ConnectionRecords records;
  private final NotificationSignature signature;
  private final HttpClient http;
  private final Clock clock;

  public NotificationHandler() {
    this(Environment.process());
    Priming.register(NotificationHandler.class, this::prime);
  }

  /**
   * Reads the notification URL of a SaaS tenant that cannot exist and signs a sample; delivers
   * nothing.
   */
  public void prime() {
    records.notificationUrl("priming");
    signature.sign(0, "{}");
  }

  public NotificationHandler(Environment env) {
    this(ConnectWiring.of(env));
  }

  private NotificationHandler(ConnectWiring w) {
    this(
        w.records(),
        new NotificationSignature(w.secrets().notificationSigningKey()),
        w.http(),
        w.clock());
  }

  public NotificationHandler(
      ConnectionRecords records, NotificationSignature signature, HttpClient http, Clock clock) {
    this.records = records;
    this.signature = signature;
    this.http = http;
    this.clock = clock;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      if (!deliver(m)) {
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private boolean deliver(SQSEvent.SQSMessage m) {
    String body = m.getBody();
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      LOG.warn("unreadable notification dropped", "messageId", m.getMessageId());
      return true;
    }
    String saasTenantId = n.path("saasTenantId").asText(null);
    String url = saasTenantId == null ? null : records.notificationUrl(saasTenantId).orElse(null);
    if (url == null) {
      LOG.info(
          "no notification URL; notification skipped",
          "saasTenantId",
          saasTenantId,
          "type",
          n.path("type").asText());
      return true;
    }
    long t = clock.instant().getEpochSecond();
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .header(NotificationSignature.HEADER, signature.sign(t, body))
                  .header("X-XeroSync-Event-Id", n.path("id").asText())
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      boolean ok = r.statusCode() / 100 == 2;
      LOG.info(
          ok ? "notification delivered" : "notification refused; will retry",
          "saasTenantId",
          saasTenantId,
          "type",
          n.path("type").asText(),
          "status",
          r.statusCode(),
          "receiveCount",
          receiveCount(m));
      return ok;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "notification not delivered; will retry",
          "saasTenantId",
          saasTenantId,
          "error",
          e.getClass().getSimpleName());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String receiveCount(SQSEvent.SQSMessage m) {
    return m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
  }
}
