package dev.xerosync.common;

import java.util.Map;
import java.util.Optional;

/**
 * The configuration a function reads, by the names template.yaml sets. Lambda passes the process
 * environment; the local host passes the same names resolved against local services.
 */
public final class Environment {
  private final Map<String, String> values;
  private final boolean process;

  private Environment(Map<String, String> values, boolean process) {
    this.values = Map.copyOf(values);
    this.process = process;
  }

  public static Environment process() {
    return new Environment(System.getenv(), true);
  }

  public static Environment of(Map<String, String> values) {
    return new Environment(values, false);
  }

  /** These values with {@code more} over them (a test host's override of the template's). */
  public Environment with(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(values);
    all.putAll(more);
    return new Environment(all, process);
  }

  /**
   * True inside Lambda, where credentials come from the runtime and must not be frozen into a
   * snapshot.
   */
  public boolean isProcess() {
    return process;
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "Environment variable " + name + " is not set; see docs/configuration.md");
    }
    return value;
  }

  public Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
  }

  public String get(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  public int getInt(String name, int fallback) {
    return optional(name).map(Integer::parseInt).orElse(fallback);
  }
}
