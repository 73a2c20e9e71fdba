package dev.xerosync.infra.aws;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The state and rules of Secrets Manager, apart from its wire protocol. One lock guards everything:
 * operations are tiny, and whole-operation atomicity is what makes stage moves and idempotency
 * checks correct under concurrent callers. A ReentrantLock rather than synchronized, so virtual
 * threads waiting on it do not pin their carriers on Java 21.
 */
final class SecretStore {

  static final String CURRENT = "AWSCURRENT";
  static final String PREVIOUS = "AWSPREVIOUS";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final String SUFFIX_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int DEFAULT_RECOVERY_DAYS = 30;

  private final Clock clock;
  private final String arnPrefix;
  private final SecureRandom random = new SecureRandom();
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Secret> byName = new LinkedHashMap<>();

  SecretStore(Clock clock, String region, String accountId) {
    this.clock = clock;
    this.arnPrefix = "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:";
  }

  /** A secret's value: exactly one of string or binary. toString never shows it. */
  sealed interface SecretValue {
    record Text(String value) implements SecretValue {
      @Override
      public String toString() {
        return "Text[redacted]";
      }
    }

    record Binary(byte[] value) implements SecretValue {
      public Binary {
        value = value.clone();
      }

      @Override
      public byte[] value() {
        return value.clone();
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof Binary b && Arrays.equals(value, b.value);
      }

      @Override
      public int hashCode() {
        return Arrays.hashCode(value);
      }

      @Override
      public String toString() {
        return "Binary[redacted]";
      }
    }
  }

  record Tag(String key, String value) {}

  /** Name and ARN of a secret, and the version an operation created or read, if any. */
  record Outcome(String arn, String name, String versionId, List<String> stages) {}

  record VersionRead(
      String arn,
      String name,
      String versionId,
      SecretValue value,
      List<String> stages,
      Instant created) {}

  record Deletion(String arn, String name, Instant deletionDate) {}

  record Description(
      String arn,
      String name,
      String description,
      String kmsKeyId,
      List<Tag> tags,
      Instant created,
      Instant lastChanged,
      Instant lastAccessed,
      Instant deleted,
      Map<String, List<String>> versionIdsToStages) {}

  Outcome create(
      String name,
      String clientRequestToken,
      SecretValue value,
      String description,
      String kmsKeyId,
      List<Tag> tags) {
    if (!NAME.matcher(name).matches()) {
      throw invalidParameter(
          "Invalid name. Must be a valid name containing alphanumeric characters, or any of the"
              + " following: -/_+=.@!");
    }
    lock.lock();
    try {
      purgeExpired();
      var existing = byName.get(name);
      if (existing != null) {
        if (existing.deleted != null) {
          throw invalidRequest(
              "You can't create this secret because a secret with this name is already scheduled"
                  + " for deletion.");
        }
        // A retried create (same token, same value) succeeds without change, as AWS documents.
        var sameVersion = clientRequestToken == null ? null : existing.versions.get(clientRequestToken);
        if (sameVersion != null && sameVersion.value.equals(value)) {
          return existing.outcome(sameVersion);
        }
        throw ServiceError.badRequest(
            "ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
      }
      var now = clock.instant();
      var secret = new Secret(name, arnPrefix + name + "-" + randomSuffix(), now);
      secret.description = description;
      secret.kmsKeyId = kmsKeyId;
      secret.tags = List.copyOf(tags);
      byName.put(name, secret);
      if (value == null) {
        return secret.outcome(null);
      }
      return secret.outcome(secret.addVersion(versionId(clientRequestToken), value, List.of(CURRENT), now));
    } finally {
      lock.unlock();
    }
  }

  VersionRead get(String secretId, String versionId, String versionStage) {
    lock.lock();
    try {
      var secret = live(secretId);
      Version version;
      if (versionId != null) {
        version = secret.versions.get(versionId);
        if (version == null || (versionStage != null && !version.stages.contains(versionStage))) {
          throw notFound(
              "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
        }
      } else {
        var stage = versionStage == null ? CURRENT : versionStage;
        version = secret.versionWithStage(stage);
        if (version == null) {
          throw notFound(
              "Secrets Manager can't find the specified secret value for staging label: " + stage);
        }
      }
      // AWS records access to the day only.
      secret.lastAccessed = clock.instant().truncatedTo(ChronoUnit.DAYS);
      return new VersionRead(
          secret.arn,
          secret.name,
          version.id,
          version.value,
          List.copyOf(version.stages),
          version.created);
    } finally {
      lock.unlock();
    }
  }

  Outcome put(String secretId, String clientRequestToken, SecretValue value, List<String> stages) {
    var labels = stages == null || stages.isEmpty() ? List.of(CURRENT) : List.copyOf(stages);
    lock.lock();
    try {
      var secret = live(secretId);
      if (clientRequestToken != null) {
        var existing = secret.versions.get(clientRequestToken);
        if (existing != null) {
          if (existing.value.equals(value)) {
            return secret.outcome(existing);
          }
          throw ServiceError.badRequest(
              "ResourceExistsException",
              "You can't modify an existing version, you can only create new versions.");
        }
      }
      var now = clock.instant();
      var version = secret.addVersion(versionId(clientRequestToken), value, labels, now);
      secret.lastChanged = now;
      return secret.outcome(version);
    } finally {
      lock.unlock();
    }
  }

  Description describe(String secretId) {
    lock.lock();
    try {
      return find(secretId).description();
    } finally {
      lock.unlock();
    }
  }

  Deletion delete(String secretId, Integer recoveryWindowInDays, boolean forceDeleteWithoutRecovery) {
    if (forceDeleteWithoutRecovery && recoveryWindowInDays != null) {
      throw invalidParameter(
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    int days = recoveryWindowInDays == null ? DEFAULT_RECOVERY_DAYS : recoveryWindowInDays;
    if (!forceDeleteWithoutRecovery && (days < 7 || days > 30)) {
      throw invalidParameter(
          "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }
    lock.lock();
    try {
      var secret = find(secretId);
      var now = clock.instant();
      if (forceDeleteWithoutRecovery) {
        byName.remove(secret.name);
        return new Deletion(secret.arn, secret.name, now);
      }
      if (secret.deleted != null) {
        throw invalidRequest(
            "You can't perform this operation on the secret because it was already scheduled for"
                + " deletion.");
      }
      secret.deleted = now;
      secret.purgeAt = now.plus(Duration.ofDays(days));
      secret.lastChanged = now;
      return new Deletion(secret.arn, secret.name, secret.purgeAt);
    } finally {
      lock.unlock();
    }
  }

  Outcome restore(String secretId) {
    lock.lock();
    try {
      var secret = find(secretId);
      if (secret.deleted != null) {
        secret.deleted = null;
        secret.purgeAt = null;
        secret.lastChanged = clock.instant();
      }
      return secret.outcome(null);
    } finally {
      lock.unlock();
    }
  }

  List<Description> list(boolean includePlannedDeletion, Predicate<Description> filter) {
    lock.lock();
    try {
      purgeExpired();
      return byName.values().stream()
          .filter(s -> includePlannedDeletion || s.deleted == null)
          .map(Secret::description)
          .filter(filter)
          .toList();
    } finally {
      lock.unlock();
    }
  }

  /** A secret that exists and is not scheduled for deletion: what reads and writes of values need. */
  private Secret live(String secretId) {
    var secret = find(secretId);
    if (secret.deleted != null) {
      throw invalidRequest(
          "You can't perform this operation on the secret because it was marked for deletion.");
    }
    return secret;
  }

  /** By name, full ARN, or partial ARN (the ARN without its random suffix), as AWS resolves ids. */
  private Secret find(String secretId) {
    purgeExpired();
    Secret secret;
    if (secretId.startsWith("arn:")) {
      secret =
          byName.values().stream()
              .filter(s -> s.arn.equals(secretId) || s.partialArn().equals(secretId))
              .findFirst()
              .orElse(null);
    } else {
      secret = byName.get(secretId);
    }
    if (secret == null) {
      throw notFound("Secrets Manager can't find the specified secret.");
    }
    return secret;
  }

  private void purgeExpired() {
    var now = clock.instant();
    byName.values().removeIf(s -> s.purgeAt != null && !now.isBefore(s.purgeAt));
  }

  private String versionId(String clientRequestToken) {
    return clientRequestToken != null ? clientRequestToken : UUID.randomUUID().toString();
  }

  private String randomSuffix() {
    var suffix = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      suffix.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
    }
    return suffix.toString();
  }

  private static ServiceError notFound(String message) {
    return ServiceError.badRequest("ResourceNotFoundException", message);
  }

  private static ServiceError invalidRequest(String message) {
    return ServiceError.badRequest("InvalidRequestException", message);
  }

  static ServiceError invalidParameter(String message) {
    return ServiceError.badRequest("InvalidParameterException", message);
  }

  private static final class Version {
    final String id;
    final SecretValue value;
    final Instant created;
    final Set<String> stages = new LinkedHashSet<>();

    Version(String id, SecretValue value, Instant created) {
      this.id = id;
      this.value = value;
      this.created = created;
    }
  }

  private static final class Secret {
    final String name;
    final String arn;
    final Instant created;
    final Map<String, Version> versions = new LinkedHashMap<>();
    String description;
    String kmsKeyId;
    List<Tag> tags = List.of();
    Instant lastChanged;
    Instant lastAccessed;
    Instant deleted;
    Instant purgeAt;

    Secret(String name, String arn, Instant created) {
      this.name = name;
      this.arn = arn;
      this.created = created;
      this.lastChanged = created;
    }

    String partialArn() {
      return arn.substring(0, arn.length() - 7);
    }

    Version versionWithStage(String stage) {
      return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
    }

    /**
     * Labels move to the new version; when AWSCURRENT moves, the version that had it becomes
     * AWSPREVIOUS. Versions left without labels stay readable by id but drop out of
     * VersionIdsToStages, as deprecated versions do in AWS.
     */
    Version addVersion(String id, SecretValue value, List<String> stages, Instant now) {
      var version = new Version(id, value, now);
      Version previousCurrent = null;
      for (var stage : stages) {
        for (var other : versions.values()) {
          if (other.stages.remove(stage) && stage.equals(CURRENT)) {
            previousCurrent = other;
          }
        }
        version.stages.add(stage);
      }
      if (previousCurrent != null) {
        versions.values().forEach(v -> v.stages.remove(PREVIOUS));
        previousCurrent.stages.add(PREVIOUS);
      }
      versions.put(id, version);
      return version;
    }

    Outcome outcome(Version version) {
      return version == null
          ? new Outcome(arn, name, null, List.of())
          : new Outcome(arn, name, version.id, List.copyOf(version.stages));
    }

    Description description() {
      var stagesByVersion = new LinkedHashMap<String, List<String>>();
      versions.values().stream()
          .filter(v -> !v.stages.isEmpty())
          .sorted(Comparator.comparing((Version v) -> v.created))
          .forEach(v -> stagesByVersion.put(v.id, List.copyOf(v.stages)));
      return new Description(
          arn,
          name,
          description,
          kmsKeyId,
          tags,
          created,
          lastChanged,
          lastAccessed,
          deleted,
          Collections.unmodifiableMap(stagesByVersion));
    }
  }
}
