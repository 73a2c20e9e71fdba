package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.xerosync.infra.xero.SimClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

class SecretsManagerStandInIntegrationTest {

  private static final AtomicInteger names = new AtomicInteger();

  private static SecretsManagerStandIn standIn;
  private static SecretsManagerClient client;

  @BeforeAll
  static void start() {
    standIn = SecretsManagerStandIn.start();
    client = clientFor(standIn);
  }

  @AfterAll
  static void stop() {
    client.close();
    standIn.close();
  }

  @Test
  void createdSecretIsReadableByNameFullArnAndPartialArn() {
    var name = uniqueName();
    var created =
        client.createSecret(
            r ->
                r.name(name).secretString("{\"refresh_token\":\"r1\"}").description("Xero tokens"));

    assertThat(created.arn())
        .matches(
            "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-[A-Za-z0-9]{6}");
    assertThat(created.name()).isEqualTo(name);
    assertThat(created.versionId()).isNotBlank();

    var partialArn = created.arn().substring(0, created.arn().length() - 7);
    for (var id : List.of(name, created.arn(), partialArn)) {
      var value = client.getSecretValue(r -> r.secretId(id));
      assertThat(value.secretString()).isEqualTo("{\"refresh_token\":\"r1\"}");
      assertThat(value.arn()).isEqualTo(created.arn());
      assertThat(value.versionId()).isEqualTo(created.versionId());
      assertThat(value.versionStages()).containsExactly("AWSCURRENT");
      assertThat(value.createdDate()).isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));
    }

    var described = client.describeSecret(r -> r.secretId(name));
    assertThat(described.description()).isEqualTo("Xero tokens");
    assertThat(described.versionIdsToStages())
        .containsExactly(Map.entry(created.versionId(), List.of("AWSCURRENT")));
    assertThat(described.deletedDate()).isNull();
    assertThat(described.lastAccessedDate()).isEqualTo(Instant.now().truncatedTo(ChronoUnit.DAYS));
  }

  @Test
  void eachPutMovesCurrentToTheNewVersionAndPreviousToTheOldCurrent() {
    var name = uniqueName();
    var v1 = client.createSecret(r -> r.name(name).secretString("one")).versionId();
    var v2 = client.putSecretValue(r -> r.secretId(name).secretString("two"));
    assertThat(v2.versionStages()).containsExactly("AWSCURRENT");
    var v3 = client.putSecretValue(r -> r.secretId(name).secretString("three")).versionId();

    assertThat(client.describeSecret(r -> r.secretId(name)).versionIdsToStages())
        .containsOnly(
            Map.entry(v3, List.of("AWSCURRENT")),
            Map.entry(v2.versionId(), List.of("AWSPREVIOUS")));

    assertThat(client.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("three");
    var previous = client.getSecretValue(r -> r.secretId(name).versionStage("AWSPREVIOUS"));
    assertThat(previous.secretString()).isEqualTo("two");
    assertThat(previous.versionId()).isEqualTo(v2.versionId());
    assertThat(previous.versionStages()).containsExactly("AWSPREVIOUS");

    // The first version lost its labels but, as in AWS, is still readable by id.
    var first = client.getSecretValue(r -> r.secretId(name).versionId(v1));
    assertThat(first.secretString()).isEqualTo("one");
    assertThat(first.versionStages()).isEmpty();
  }

  @Test
  void putsWithTheSameClientRequestTokenAreIdempotent() {
    var name = uniqueName();
    client.createSecret(r -> r.name(name).secretString("one"));
    var token = UUID.randomUUID().toString();

    var first =
        client.putSecretValue(r -> r.secretId(name).secretString("two").clientRequestToken(token));
    var retry =
        client.putSecretValue(r -> r.secretId(name).secretString("two").clientRequestToken(token));

    assertThat(first.versionId()).isEqualTo(token);
    assertThat(retry.versionId()).isEqualTo(token);
    var stages = client.describeSecret(r -> r.secretId(name)).versionIdsToStages();
    assertThat(stages).hasSize(2).containsEntry(token, List.of("AWSCURRENT"));
    assertThat(stages.values()).containsOnlyOnce(List.of("AWSPREVIOUS"));

    assertThatThrownBy(
            () ->
                client.putSecretValue(
                    r -> r.secretId(name).secretString("other").clientRequestToken(token)))
        .isInstanceOf(ResourceExistsException.class);
  }

  @Test
  void createRetriedWithTheSameTokenAndValueSucceedsWithoutChange() {
    var name = uniqueName();
    var token = UUID.randomUUID().toString();
    var first =
        client.createSecret(r -> r.name(name).secretString("one").clientRequestToken(token));
    var retry =
        client.createSecret(r -> r.name(name).secretString("one").clientRequestToken(token));

    assertThat(retry.arn()).isEqualTo(first.arn());
    assertThat(retry.versionId()).isEqualTo(token);
    assertThatThrownBy(() -> client.createSecret(r -> r.name(name).secretString("one")))
        .isInstanceOf(ResourceExistsException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void binarySecretsRoundTrip() {
    var name = uniqueName();
    var bytes = new byte[] {0, 1, 2, (byte) 0xff, 42};
    client.createSecret(r -> r.name(name).secretBinary(SdkBytes.fromByteArray(bytes)));

    var value = client.getSecretValue(r -> r.secretId(name));
    assertThat(value.secretBinary().asByteArray()).containsExactly(bytes);
    assertThat(value.secretString()).isNull();
  }

  @Test
  void aSecretCreatedWithoutValueHasNoCurrentVersionUntilTheFirstPut() {
    var name = uniqueName();
    var created = client.createSecret(r -> r.name(name));
    assertThat(created.versionId()).isNull();
    assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId(name)))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("staging label: AWSCURRENT");

    var put = client.putSecretValue(r -> r.secretId(name).secretString("first"));
    assertThat(client.describeSecret(r -> r.secretId(name)).versionIdsToStages())
        .containsExactly(Map.entry(put.versionId(), List.of("AWSCURRENT")));
  }

  @Test
  void errorsReachTheSdkAsItsTypedExceptions() {
    var name = uniqueName();
    client.createSecret(r -> r.name(name).secretString("one"));

    assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("no-such-secret")))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Secrets Manager can't find the specified secret.");
            });
    assertThatThrownBy(
            () -> client.getSecretValue(r -> r.secretId(name).versionStage("AWSPENDING")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                client.getSecretValue(
                    r -> r.secretId(name).versionId(UUID.randomUUID().toString())))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                client.describeSecret(
                    r ->
                        r.secretId(
                            "arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf")))
        .isInstanceOf(ResourceNotFoundException.class);
    var current = client.getSecretValue(r -> r.secretId(name)).versionId();
    assertThatThrownBy(
            () ->
                client.getSecretValue(
                    r -> r.secretId(name).versionId(current).versionStage("AWSPREVIOUS")))
        .as("VersionId and VersionStage must name the same version")
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> client.createSecret(r -> r.name(name).secretString("again")))
        .isInstanceOf(ResourceExistsException.class);
    assertThatThrownBy(
            () ->
                client.putSecretValue(
                    r ->
                        r.secretId(name)
                            .secretString("s")
                            .secretBinary(SdkBytes.fromUtf8String("b"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> client.putSecretValue(r -> r.secretId(name)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> client.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(3L)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(
            () ->
                client.deleteSecret(
                    r ->
                        r.secretId(name).recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true)))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> client.createSecret(r -> r.name("has space").secretString("x")))
        .isInstanceOf(InvalidParameterException.class);

    client.deleteSecret(r -> r.secretId(name));
    assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId(name)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void errorMessagesNeverCarryTheSecretValue() throws Exception {
    var name = uniqueName();
    client.createSecret(r -> r.name(name).secretString("one"));
    var sensitive = "hunter2-" + UUID.randomUUID();

    assertThatThrownBy(
            () ->
                client.putSecretValue(
                    r ->
                        r.secretId(name)
                            .secretString(sensitive)
                            .secretBinary(SdkBytes.fromUtf8String(sensitive))))
        .isInstanceOf(SecretsManagerException.class)
        .message()
        .doesNotContain(sensitive);

    var malformed =
        post(
            "secretsmanager.PutSecretValue",
            "{\"SecretId\":\"" + name + "\",\"SecretString\":\"" + sensitive);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("SerializationException").doesNotContain(sensitive);
  }

  @Test
  void theWireFormatIsAwsJson11() throws Exception {
    var notFound = post("secretsmanager.DescribeSecret", "{\"SecretId\":\"missing\"}");
    assertThat(notFound.statusCode()).isEqualTo(400);
    assertThat(notFound.headers().firstValue("Content-Type"))
        .hasValue("application/x-amz-json-1.1");
    assertThat(notFound.body())
        .isEqualTo(
            "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the"
                + " specified secret.\"}");

    var unknown = post("secretsmanager.RotateSecret", "{}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body())
        .contains("\"__type\":\"UnknownOperationException\"")
        .contains("secretsmanager.RotateSecret");

    var otherService = post("kms.Decrypt", "{}");
    assertThat(otherService.statusCode()).isEqualTo(400);
    assertThat(otherService.body()).contains("UnknownOperationException");

    var name = uniqueName();
    var created =
        post("secretsmanager.CreateSecret", "{\"Name\":\"" + name + "\",\"SecretString\":\"v\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    var read = post("secretsmanager.GetSecretValue", "{\"SecretId\":\"" + name + "\"}");
    // Timestamps are epoch seconds as a plain JSON number, as the JSON protocol carries them.
    assertThat(read.body()).containsPattern("\"CreatedDate\":\\d{10}\\.\\d{3}[,}]");
  }

  @Test
  void aSecretScheduledForDeletionRefusesReadsAndWritesUntilRestored() {
    var name = uniqueName();
    client.createSecret(r -> r.name(name).secretString("one"));

    var deletion = client.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));
    assertThat(deletion.deletionDate())
        .isCloseTo(Instant.now().plus(Duration.ofDays(7)), within(10, ChronoUnit.SECONDS));
    assertThat(client.describeSecret(r -> r.secretId(name)).deletedDate())
        .isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));

    assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId(name)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("marked for deletion");
    assertThatThrownBy(() -> client.putSecretValue(r -> r.secretId(name).secretString("two")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.createSecret(r -> r.name(name).secretString("two")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.deleteSecret(r -> r.secretId(name)))
        .isInstanceOf(InvalidRequestException.class);

    client.restoreSecret(r -> r.secretId(name));
    assertThat(client.getSecretValue(r -> r.secretId(name)).secretString()).isEqualTo("one");
    assertThat(client.describeSecret(r -> r.secretId(name)).deletedDate()).isNull();
  }

  @Test
  void forceDeletionRemovesTheSecretAtOnceAndFreesItsName() {
    var name = uniqueName();
    var first = client.createSecret(r -> r.name(name).secretString("one"));

    client.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));

    assertThatThrownBy(() -> client.describeSecret(r -> r.secretId(name)))
        .isInstanceOf(ResourceNotFoundException.class);
    var second = client.createSecret(r -> r.name(name).secretString("two"));
    assertThat(second.arn()).isNotEqualTo(first.arn());
  }

  @Test
  void aSecretIsGoneOnceItsRecoveryWindowHasPassed() {
    var clock = SimClock.frozen(Instant.parse("2026-01-01T00:00:00Z"));
    try (var ownStandIn = SecretsManagerStandIn.start(clock);
        var ownClient = clientFor(ownStandIn)) {
      ownClient.createSecret(r -> r.name("short-lived").secretString("x"));
      ownClient.deleteSecret(r -> r.secretId("short-lived").recoveryWindowInDays(7L));

      clock.advance(Duration.ofDays(7).minusSeconds(1));
      assertThat(ownClient.describeSecret(r -> r.secretId("short-lived")).deletedDate())
          .isNotNull();

      clock.advance(Duration.ofSeconds(1));
      assertThatThrownBy(() -> ownClient.describeSecret(r -> r.secretId("short-lived")))
          .isInstanceOf(ResourceNotFoundException.class);
    }
  }

  @Test
  void listSecretsFiltersByNamePrefixAndPages() {
    var prefix = "list-" + UUID.randomUUID() + "/";
    for (int i = 0; i < 3; i++) {
      var n = prefix + i;
      client.createSecret(
          r ->
              r.name(n).secretString("v").tags(Tag.builder().key("tenant").value("t" + n).build()));
    }
    client.deleteSecret(r -> r.secretId(prefix + 2));

    var nameFilter = Filter.builder().key(FilterNameStringType.NAME).values(prefix).build();
    var firstPage = client.listSecrets(r -> r.filters(nameFilter).maxResults(1).sortOrder("asc"));
    assertThat(firstPage.secretList())
        .extracting(SecretListEntry::name)
        .containsExactly(prefix + 0);
    assertThat(firstPage.secretList().getFirst().secretVersionsToStages()).hasSize(1);
    var secondPage =
        client.listSecrets(
            r ->
                r.filters(nameFilter)
                    .maxResults(1)
                    .sortOrder("asc")
                    .nextToken(firstPage.nextToken()));
    assertThat(secondPage.secretList())
        .extracting(SecretListEntry::name)
        .containsExactly(prefix + 1);
    assertThat(secondPage.nextToken()).isNull();

    var withDeleted = client.listSecrets(r -> r.filters(nameFilter).includePlannedDeletion(true));
    assertThat(withDeleted.secretList()).hasSize(3);
  }

  @Test
  void concurrentPutsLeaveExactlyOneCurrentAndOnePrevious() throws Exception {
    var name = uniqueName();
    client.createSecret(r -> r.name(name).secretString("v0"));
    var puts = new ArrayList<Callable<String>>();
    for (int i = 1; i <= 40; i++) {
      var value = "v" + i;
      puts.add(() -> client.putSecretValue(r -> r.secretId(name).secretString(value)).versionId());
    }
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (var future : executor.invokeAll(puts)) {
        future.get();
      }
    }

    var stages = client.describeSecret(r -> r.secretId(name)).versionIdsToStages();
    assertThat(stages.values())
        .containsExactlyInAnyOrder(List.of("AWSCURRENT"), List.of("AWSPREVIOUS"));
  }

  private static String uniqueName() {
    return "xero-sync/connections/test-" + names.incrementAndGet() + "-" + UUID.randomUUID();
  }

  private static HttpResponse<String> post(String target, String body) throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      var request =
          HttpRequest.newBuilder(URI.create(standIn.endpoint() + "/"))
              .header("Content-Type", "application/x-amz-json-1.1")
              .header("X-Amz-Target", target)
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  private static SecretsManagerClient clientFor(SecretsManagerStandIn server) {
    return SecretsManagerClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
