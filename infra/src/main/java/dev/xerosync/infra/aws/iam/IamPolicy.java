package dev.xerosync.infra.aws.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One IAM policy document, its intrinsics already resolved: Allow and Deny statements of actions on
 * resources. Conditions, NotAction, NotResource and principals are refused rather than ignored, so
 * a template that starts using them fails here instead of being evaluated wrongly.
 *
 * <p>Matching follows IAM's rules: actions case-insensitively, resources case-sensitively, with
 * {@code *} any run of characters and {@code ?} one (
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
public record IamPolicy(String name, List<Statement> statements) {

  public record Statement(boolean allow, List<String> actions, List<String> resources) {
    public Statement {
      actions = List.copyOf(actions);
      resources = List.copyOf(resources);
    }

    /** Whether the statement names the action and the resource, by IAM's matching rules. */
    public boolean covers(String action, String arn) {
      return actions.stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT), lower(action)))
          && resources.stream().anyMatch(r -> wildcard(r, arn));
    }
  }

  /** What a policy says about one request. */
  public enum Decision {
    ALLOW,
    EXPLICIT_DENY,
    NOT_ALLOWED
  }

  public IamPolicy {
    statements = List.copyOf(statements);
  }

  /**
   * A statement from its resolved parts: effect, and each of action and resource as one or many.
   */
  public static Statement statement(
      String effect, List<String> actions, List<String> resources, List<String> otherKeys) {
    for (String key : otherKeys) {
      if (!List.of("Effect", "Action", "Resource", "Sid").contains(key)) {
        throw new IllegalArgumentException(
            "the local IAM evaluation does not support " + key + " in a policy statement");
      }
    }
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new IllegalArgumentException("a statement's Effect is Allow or Deny, not " + effect);
    }
    return new Statement(effect.equals("Allow"), new ArrayList<>(actions), resources);
  }

  public Decision decide(String action, String arn) {
    boolean allowed = false;
    for (Statement s : statements) {
      if (s.covers(action, arn)) {
        if (!s.allow()) {
          return Decision.EXPLICIT_DENY;
        }
        allowed = true;
      }
    }
    return allowed ? Decision.ALLOW : Decision.NOT_ALLOWED;
  }

  static boolean wildcard(String pattern, String value) {
    // A glob match, no regex: every AWS call is checked against every statement, and compiling a
    // pattern per check was a fifth of the CPU of a local initial sync (issue 28).
    int p = 0;
    int v = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        // The last '*' takes one more character and the rest is matched again after it.
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
