package dev.xerosync.webhook;

import dev.xerosync.common.AppSecrets;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.queue.SyncQueue;

/** The webhook function's collaborators, built once per container from its environment. */
public record WebhookWiring(WebhookSignature signature, SyncQueue queue) {

  public static WebhookWiring of(Environment env) {
    return new WebhookWiring(
        new WebhookSignature(AppSecrets.field(env, "webhookKey", "XERO_WEBHOOK_KEY")),
        new SyncQueue(AwsClients.sqs(env), env.required("SYNC_QUEUE_URL")));
  }
}
