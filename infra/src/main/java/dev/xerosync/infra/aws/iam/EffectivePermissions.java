package dev.xerosync.infra.aws.iam;

import java.util.List;
import java.util.Optional;

/**
 * What a role may do, evaluated as IAM evaluates a request within one account: an explicit deny in
 * any policy wins; otherwise an identity-based policy must allow the action and, when the role has
 * a permissions boundary, the boundary must allow it too (the intersection:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). Resource-based
 * policies are not part of this project's template.
 *
 * @param principal the role session's ARN, as AWS names it in an AccessDeniedException
 * @param identityPolicies the role's managed and inline policies
 * @param boundary the permissions boundary, or null for none
 */
public record EffectivePermissions(
    String principal, List<IamPolicy> identityPolicies, IamPolicy boundary) {

  public EffectivePermissions {
    identityPolicies = List.copyOf(identityPolicies);
  }

  public boolean allows(String action, String arn) {
    return denial(action, arn).isEmpty();
  }

  /** Why IAM refuses the request, in AWS's words, or empty when it is allowed. */
  public Optional<String> denial(String action, String arn) {
    String prefix =
        "User: " + principal + " is not authorized to perform: " + action + " on resource: " + arn;
    boolean identityAllows = false;
    for (IamPolicy p : identityPolicies) {
      switch (p.decide(action, arn)) {
        case EXPLICIT_DENY -> {
          return Optional.of(prefix + " with an explicit deny in an identity-based policy");
        }
        case ALLOW -> identityAllows = true;
        case NOT_ALLOWED -> {}
      }
    }
    if (boundary != null) {
      switch (boundary.decide(action, arn)) {
        case EXPLICIT_DENY -> {
          return Optional.of(prefix + " with an explicit deny in a permissions boundary");
        }
        case NOT_ALLOWED -> {
          return Optional.of(
              prefix + " because no permissions boundary allows the " + action + " action");
        }
        case ALLOW -> {}
      }
    }
    if (!identityAllows) {
      return Optional.of(
          prefix + " because no identity-based policy allows the " + action + " action");
    }
    return Optional.empty();
  }
}
