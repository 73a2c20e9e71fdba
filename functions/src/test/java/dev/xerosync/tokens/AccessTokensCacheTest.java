package dev.xerosync.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** A warm container's token cache stops serving a tenant once its secret is gone (disconnect). */
class AccessTokensCacheTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  private final Map<String, String> secrets = new HashMap<>();
  private Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final TokenVault vault = new TokenVault(new MapSecrets(), "test/");
  private final AccessTokens tokens =
      new AccessTokens(
          vault,
          new XeroIdentity(
              HttpClient.newHttpClient(),
              URI.create("http://127.0.0.1:9"),
              "id",
              "secret",
              fixedAtT0()),
          null,
          new DelegatingClock());

  @Test
  void aDisconnectedTenantIsRefusedWithinTheRecheckBoundThoughItsTokenIsCached() throws Exception {
    vault.write("t1", new ConnectionTokens("access-1", "refresh-1", T0.plusSeconds(1800), T0));
    assertEquals("access-1", tokens.accessToken("t1"));

    vault.delete("t1"); // what another container's disconnect does

    clock = Clock.fixed(T0.plus(AccessTokens.RECHECK), ZoneOffset.UTC);
    var e = assertThrows(TokenRefreshException.class, () -> tokens.accessToken("t1"));
    assertEquals("not_connected", e.error());
  }

  @Test
  void aCachedTokenSparesTheSecretReadInsideTheBound() throws Exception {
    vault.write("t2", new ConnectionTokens("access-2", "refresh-2", T0.plusSeconds(1800), T0));
    assertEquals("access-2", tokens.accessToken("t2"));
    vault.delete("t2");
    clock = Clock.fixed(T0.plus(AccessTokens.RECHECK).minus(Duration.ofMillis(1)), ZoneOffset.UTC);
    assertEquals("access-2", tokens.accessToken("t2"));
  }

  private static Clock fixedAtT0() {
    return Clock.fixed(T0, ZoneOffset.UTC);
  }

  /** The test's current clock, moved by reassigning {@link #clock}. */
  private final class DelegatingClock extends Clock {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }
  }

  /** Secrets Manager as a map: only the calls TokenVault makes. */
  private final class MapSecrets implements SecretsManagerClient {
    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest r) {
      String value = secrets.get(r.secretId());
      if (value == null) {
        throw ResourceNotFoundException.builder().message("not found").build();
      }
      return GetSecretValueResponse.builder().secretString(value).build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest r) {
      if (!secrets.containsKey(r.secretId())) {
        throw ResourceNotFoundException.builder().message("not found").build();
      }
      secrets.put(r.secretId(), r.secretString());
      return PutSecretValueResponse.builder().build();
    }

    @Override
    public CreateSecretResponse createSecret(CreateSecretRequest r) {
      secrets.put(r.name(), r.secretString());
      return CreateSecretResponse.builder().build();
    }

    @Override
    public DeleteSecretResponse deleteSecret(DeleteSecretRequest r) {
      secrets.remove(r.secretId());
      return DeleteSecretResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "secretsmanager";
    }

    @Override
    public void close() {}
  }
}
