package dev.xerosync.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The app's own secrets, read once per container from one Secrets Manager secret (JSON): the Xero
 * app's client secret and webhook key, the admin API key, and the key notifications are signed
 * with. The key that signs connect {@code state} is a second, generated secret nobody outside
 * needs.
 */
public record AppSecrets(
    String clientSecret,
    String webhookKey,
    String adminApiKey,
    String notificationSigningKey,
    String stateSigningKey) {

  public static AppSecrets load(
      SecretsManagerClient secrets, String appSecretId, String stateSecretId) {
    JsonNode app =
        json(secrets.getSecretValue(r -> r.secretId(appSecretId)).secretString(), appSecretId);
    String state = secrets.getSecretValue(r -> r.secretId(stateSecretId)).secretString();
    return new AppSecrets(
        required(app, "clientSecret", appSecretId),
        required(app, "webhookKey", appSecretId),
        required(app, "adminApiKey", appSecretId),
        required(app, "notificationSigningKey", appSecretId),
        state);
  }

  /**
   * One field of the app secret, for functions that need only that (the webhook key, the client
   * secret). Without APP_SECRET_ID the plain variable is used, as in unit tests and sam local
   * invoke.
   */
  public static String field(Environment env, String field, String fallbackVariable) {
    return env.optional("APP_SECRET_ID")
        .map(
            id ->
                required(
                    json(
                        AwsClients.secretsManager(env)
                            .getSecretValue(r -> r.secretId(id))
                            .secretString(),
                        id),
                    field,
                    id))
        .orElseGet(() -> env.required(fallbackVariable));
  }

  private static JsonNode json(String value, String id) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (IOException e) {
      throw new IllegalStateException("secret " + id + " is not JSON; see docs/configuration.md");
    }
  }

  private static String required(JsonNode n, String field, String id) {
    String v = n.path(field).asText("");
    if (v.isBlank()) {
      throw new IllegalStateException(
          "secret " + id + " has no " + field + "; see docs/configuration.md");
    }
    return v;
  }

  @Override
  public String toString() {
    return "AppSecrets[<redacted>]";
  }
}
