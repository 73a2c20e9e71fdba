package dev.xerosync.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** One Secrets Manager secret per connection, named {@code <prefix><tenantId>}. */
public final class TokenVault {
  public static final String DEFAULT_PREFIX = "xero-sync/connections/";

  private final SecretsManagerClient secrets;
  private final String prefix;

  public TokenVault(SecretsManagerClient secrets, String prefix) {
    this.secrets = secrets;
    this.prefix = prefix;
  }

  public String secretName(String tenantId) {
    return prefix + tenantId;
  }

  public Optional<ConnectionTokens> read(String tenantId) {
    try {
      String value = secrets.getSecretValue(r -> r.secretId(secretName(tenantId))).secretString();
      return Optional.of(parse(value));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  public void write(String tenantId, ConnectionTokens tokens) {
    String value = serialise(tokens);
    try {
      secrets.putSecretValue(r -> r.secretId(secretName(tenantId)).secretString(value));
    } catch (ResourceNotFoundException e) {
      secrets.createSecret(
          r ->
              r.name(secretName(tenantId))
                  .description("Xero OAuth tokens of one xero-sync connection")
                  .secretString(value));
    }
  }

  /**
   * Deletes the secret at once (no recovery window), so that reconnecting can create it again
   * straight away.
   */
  public void delete(String tenantId) {
    try {
      secrets.deleteSecret(r -> r.secretId(secretName(tenantId)).forceDeleteWithoutRecovery(true));
    } catch (ResourceNotFoundException e) {
      // already gone
    }
  }

  private static String serialise(ConnectionTokens t) {
    ObjectNode n =
        Json.MAPPER
            .createObjectNode()
            .put("accessToken", t.accessToken())
            .put("refreshToken", t.refreshToken())
            .put("accessTokenExpiresAt", t.accessTokenExpiresAt().toString())
            .put("refreshedAt", t.refreshedAt().toString());
    return n.toString();
  }

  private static ConnectionTokens parse(String value) {
    try {
      JsonNode n = Json.MAPPER.readTree(value);
      return new ConnectionTokens(
          n.path("accessToken").asText(),
          n.path("refreshToken").asText(),
          Instant.parse(n.path("accessTokenExpiresAt").asText()),
          Instant.parse(n.path("refreshedAt").asText()));
    } catch (IOException | RuntimeException e) {
      // Never echo the secret's content.
      throw new IllegalStateException("connection secret is not in the expected format");
    }
  }
}
