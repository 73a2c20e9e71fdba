package dev.xerosync.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Environment;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What @aws/cloudformation-validate cannot see, because it checks CloudFormation schemas and does
 * not expand SAM or read our code. Every check walks all functions of template.yaml, so it holds
 * for functions added later without changes here.
 */
class TemplateInvariantsTest {
  private static final SamTemplate T = SamTemplate.load();

  /**
   * Routes no client credential can come with: Xero's webhook (its signature is the credential),
   * the browser following Xero's redirect (the signed state is), an invoice's PDF opened in a tab
   * (the signed link is), and the public OpenAPI document.
   */
  private static final Set<String> ROUTES_WITHOUT_API_KEY =
      Set.of(
          "POST /webhooks/xero",
          "GET /connect/callback",
          "POST /connect/select",
          "GET /tenants/{tenantId}/invoices/{invoiceId}/pdf",
          "GET /openapi.yaml");

  /**
   * What a browser fetches for the components before it holds any credential: the modules and the
   * page (CORS preflights, which never carry credentials, are checked by method). Its reads with a
   * panel token pass the authorizer like every other tenant route.
   */
  private static final Set<String> PANEL_BROWSER_ROUTES =
      Set.of("GET /panel", "GET /panel/xero-invoice-panel.js", "GET /panel/xero-connection.js");

  @Test
  void everyFunctionRunsJava21OnArm64WithSnapStartOnAPublishedAlias() {
    assertThat(T.functions()).isNotEmpty();
    for (var fn : T.functions()) {
      assertThat(fn.property("Runtime").asText()).as(fn.id() + " Runtime").isEqualTo("java21");
      assertThat(fn.property("Architectures").toString())
          .as(fn.id() + " Architectures")
          .isEqualTo("[\"arm64\"]");
      assertThat(fn.property("AutoPublishAlias").asText())
          .as(fn.id() + " AutoPublishAlias")
          .isNotBlank();
      assertThat(fn.property("SnapStart").path("ApplyOn").asText())
          .as(fn.id() + " SnapStart")
          .isEqualTo("PublishedVersions");
      assertThat(fn.environment().path("JAVA_TOOL_OPTIONS").asText())
          .as(fn.id() + " JAVA_TOOL_OPTIONS")
          .isNotBlank();
      assertThat(fn.property("PermissionsBoundary").isMissingNode())
          .as(fn.id() + " PermissionsBoundary")
          .isFalse();
    }
  }

  @Test
  void everyHandlerIsAClassThatImplementsTheHandlerInterfaceItsEventsNeed() throws Exception {
    for (var fn : T.functions()) {
      String handler = fn.property("Handler").asText();
      assertThat(handler).as(fn.id() + " Handler").matches("[\\w.]+::handleRequest");
      Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
      assertThat(RequestHandler.class)
          .as(fn.id() + " implements RequestHandler")
          .isAssignableFrom(type);
      assertThat(type.getConstructor())
          .as(fn.id() + " has the no-arg constructor Lambda calls")
          .isNotNull();
      assertThat(type.getConstructor(Environment.class))
          .as(fn.id() + " has the constructor the local host calls")
          .isNotNull();
      Type[] io = requestHandlerTypes(type);
      for (var event : fn.events()) {
        switch (event.type()) {
          case "Api" -> {
            assertThat(io[0])
                .as(fn.id() + " input for Api")
                .isEqualTo(APIGatewayProxyRequestEvent.class);
            assertThat(io[1])
                .as(fn.id() + " output for Api")
                .isEqualTo(APIGatewayProxyResponseEvent.class);
          }
          case "SQS" -> {
            assertThat(io[0]).as(fn.id() + " input for SQS").isEqualTo(SQSEvent.class);
            assertThat(io[1])
                .as(fn.id() + " output for ReportBatchItemFailures")
                .isEqualTo(SQSBatchResponse.class);
          }
          case "Schedule", "ScheduleV2" ->
              assertThat(io[0])
                  .as(fn.id() + " input for a schedule")
                  .isEqualTo(ScheduledEvent.class);
          default ->
              throw new AssertionError(
                  fn.id() + ": event type " + event.type() + " has no handler check here yet");
        }
      }
    }
  }

  @Test
  void everyEnvironmentVariableAFunctionRequiresIsSetByTheTemplate() {
    // Construction reads all configuration (STYLE: "read once, in the constructor"), so building
    // each
    // handler from exactly the template's environment, plus what the Lambda runtime sets, proves it
    // complete.
    // That includes the app's secrets, read once per container: a Secrets Manager stand-in holds
    // the
    // secrets the template creates, each under the id its !Ref resolves to here, with its template
    // value.
    try (var secrets = dev.xerosync.infra.aws.SecretsManagerStandIn.start();
        var client =
            software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .endpointOverride(secrets.endpoint())
                .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
                .credentialsProvider(
                    software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                            "AKIDEXAMPLE", "example")))
                .build()) {
      for (var secret : T.resourcesOfType("AWS::SecretsManager::Secret")) {
        JsonNode props = secret.getValue().path("Properties");
        String value =
            props.has("SecretString")
                ? T.resolved(props.get("SecretString"))
                : "example-generated-" + secret.getKey();
        client.createSecret(r -> r.name(secret.getKey()).secretString(value));
      }
      for (var fn : T.functions()) {
        Map<String, String> env = T.resolvedEnvironment(fn);
        env.putAll(
            Map.of(
                "AWS_REGION",
                "eu-west-1",
                "AWS_ACCESS_KEY_ID",
                "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY",
                "example",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                secrets.endpoint().toString()));
        assertThatCode(
                () ->
                    Class.forName(fn.handlerClass())
                        .getConstructor(Environment.class)
                        .newInstance(Environment.of(env)))
            .as(fn.id() + " builds from its template environment")
            .doesNotThrowAnyException();
      }
    }
  }

  @Test
  void everyVariableNameTheCodeRequiresIsSetForSomeFunction() throws IOException {
    Pattern read = Pattern.compile("env\\.required\\(\"([A-Z0-9_]+)\"\\)");
    Set<String> required = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("..", "functions", "src", "main", "java"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = read.matcher(Files.readString(p));
        while (m.find()) {
          required.add(m.group(1));
        }
      }
    }
    // The Lambda runtime sets these itself.
    Set<String> set =
        new TreeSet<>(
            Set.of(
                "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"));
    T.functions().forEach(fn -> fn.environment().fieldNames().forEachRemaining(set::add));
    assertThat(set).containsAll(required);
  }

  @Test
  void
      everySqsEventSourceHasASafeVisibilityTimeoutBatchFailuresAConcurrencyCapAndADeadLetterQueue() {
    for (var fn : T.functions()) {
      for (var event : fn.events()) {
        if (!event.type().equals("SQS")) {
          continue;
        }
        JsonNode p = event.properties();
        String queueId = p.path("Queue").path("Fn::GetAtt").get(0).asText();
        JsonNode queue = T.resource(queueId).path("Properties");
        int visibility = queue.path("VisibilityTimeout").asInt(30);
        assertThat(visibility)
            .as(
                fn.id()
                    + ": "
                    + queueId
                    + " VisibilityTimeout >= 6 x Timeout (AWS's advice for Lambda event sources)")
            .isGreaterThanOrEqualTo(6 * fn.timeoutSeconds());
        assertThat(p.path("FunctionResponseTypes").toString())
            .as(fn.id() + " ReportBatchItemFailures")
            .contains("ReportBatchItemFailures");
        assertThat(p.path("ScalingConfig").path("MaximumConcurrency").asInt(0))
            .as(fn.id() + " MaximumConcurrency")
            .isBetween(2, 1000);
        assertThat(queue.path("RedrivePolicy").path("deadLetterTargetArn").isMissingNode())
            .as(queueId + " RedrivePolicy")
            .isFalse();
        assertThat(queue.path("RedrivePolicy").path("maxReceiveCount").asInt(0))
            .as(queueId + " maxReceiveCount")
            .isPositive();
      }
    }
  }

  @Test
  void everyScheduleParses() {
    Pattern rate = Pattern.compile("rate\\(([1-9]\\d*) (minute|minutes|hour|hours|day|days)\\)");
    // EventBridge cron: minutes hours day-of-month month day-of-week year, one of the two days a
    // '?'.
    Pattern cron = Pattern.compile("cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)");
    int schedules = 0;
    for (var fn : T.functions()) {
      for (var event : fn.events()) {
        if (!event.type().startsWith("Schedule")) {
          continue;
        }
        schedules++;
        String expression =
            event
                .properties()
                .path(event.type().equals("Schedule") ? "Schedule" : "ScheduleExpression")
                .asText();
        Matcher r = rate.matcher(expression);
        Matcher c = cron.matcher(expression);
        if (r.matches()) {
          boolean singular = r.group(1).equals("1");
          assertThat(r.group(2).endsWith("s"))
              .as(expression + ": EventBridge wants 'minute' for 1 and 'minutes' otherwise")
              .isNotEqualTo(singular);
        } else {
          assertThat(c.matches())
              .as(fn.id() + " schedule " + expression + " is rate(...) or a 6-field cron(...)")
              .isTrue();
          assertThat(c.group(3).equals("?") ^ c.group(5).equals("?"))
              .as(expression + ": exactly one of day-of-month and day-of-week is '?'")
              .isTrue();
        }
      }
    }
    assertThat(schedules).as("the reconciliation schedule at least").isPositive();
  }

  @Test
  void noPolicyGrantsEverythingOrOnEverything() {
    List<String> broad = new ArrayList<>();
    for (var fn : T.functions()) {
      for (JsonNode policy : fn.property("Policies")) {
        if (policy.isTextual()) {
          broad.add(fn.id() + " attaches managed policy " + policy.asText());
        }
        for (JsonNode statement : policy.path("Statement")) {
          checkStatement(fn.id(), statement, broad);
        }
        policy
            .fieldNames()
            .forEachRemaining(
                name -> {
                  if (!name.equals("Statement")) {
                    broad.add(
                        fn.id()
                            + " uses SAM policy template "
                            + name
                            + ", whose actions are broader than the calls; list the actions");
                  }
                });
      }
    }
    for (var resource :
        T.resourcesOfType("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::Role")) {
      JsonNode props = resource.getValue().path("Properties");
      for (JsonNode statement : props.path("PolicyDocument").path("Statement")) {
        checkStatement(resource.getKey(), statement, broad);
      }
    }
    assertThat(broad).isEmpty();
  }

  private static void checkStatement(String owner, JsonNode statement, List<String> broad) {
    for (JsonNode resource : asList(statement.path("Resource"))) {
      if (resource.isTextual() && resource.asText().equals("*")) {
        broad.add(owner + " grants " + statement.path("Action") + " on Resource \"*\"");
      }
    }
    for (JsonNode action : asList(statement.path("Action"))) {
      if (action.asText().equals("*")) {
        broad.add(owner + " grants Action \"*\"");
      }
    }
  }

  @Test
  void everyRouteButTheOpenOnesPassesTheAuthorizerAndTheStageIsThrottled() {
    for (var fn : T.functions()) {
      for (var event : fn.events()) {
        if (!event.type().equals("Api")) {
          continue;
        }
        String route =
            event.properties().path("Method").asText().toUpperCase(java.util.Locale.ROOT)
                + " "
                + event.properties().path("Path").asText();
        JsonNode auth = event.properties().path("Auth");
        boolean apiKey =
            T.apiKeyRequiredByDefault(event.properties())
                ? !auth.path("ApiKeyRequired").asText("true").equals("false")
                : auth.path("ApiKeyRequired").asBoolean(false);
        boolean authorizer = !auth.path("Authorizer").asText("default").equals("NONE");
        if (ROUTES_WITHOUT_API_KEY.contains(route)
            || PANEL_BROWSER_ROUTES.contains(route)
            || route.startsWith("OPTIONS ")) {
          assertThat(apiKey || authorizer)
              .as(route + ": its caller has no credential to send")
              .isFalse();
        } else {
          assertThat(apiKey && authorizer)
              .as(fn.id() + " " + route + " needs the authorizer and the usage-plan key")
              .isTrue();
        }
      }
    }
    for (var api : T.resourcesOfType("AWS::Serverless::Api")) {
      JsonNode props = api.getValue().path("Properties");
      // The usage plan's key comes from the authorizer: clients send their own credentials.
      assertThat(props.path("ApiKeySourceType").asText()).isEqualTo("AUTHORIZER");
      assertThat(props.path("Auth").path("DefaultAuthorizer").asText()).isNotEmpty();
    }
    for (var api : T.resourcesOfType("AWS::Serverless::Api")) {
      JsonNode all = null;
      for (JsonNode s : api.getValue().path("Properties").path("MethodSettings")) {
        if (s.path("ResourcePath").asText().equals("/*")
            && s.path("HttpMethod").asText().equals("*")) {
          all = s;
        }
      }
      assertThat(all)
          .as(api.getKey() + " throttles every method (MethodSettings /* *)")
          .isNotNull();
      assertThat(all.path("ThrottlingRateLimit").asDouble(0)).isPositive();
      assertThat(all.path("ThrottlingBurstLimit").asInt(0)).isPositive();
    }
  }

  /**
   * Issue 24, finding 6: API Gateway answers 401 itself when a cached authorizer's identity source
   * is absent, and caches by its values. A cached result must cover every route its credential may
   * call (the policy allows {@code /*}{@code /tenants/*}), must not outlive the revocation bound,
   * and no route a panel token may call can be behind it (the token comes in another header).
   */
  @Test
  void cachedAuthorizersKeyOnTheirCredentialHeaderWithinTheRevocationBound() {
    JsonNode authorizers =
        T.resourcesOfType("AWS::Serverless::Api")
            .getFirst()
            .getValue()
            .path("Properties")
            .path("Auth")
            .path("Authorizers");
    var grant =
        new dev.xerosync.store.PanelGrants.Grant(
            "t", "deal", "d-1", "panel", java.time.Instant.MAX, "k");
    Set<String> cached = new TreeSet<>();
    for (var a : authorizers.properties()) {
      JsonNode identity = a.getValue().path("Identity");
      // SAM's default TTL is 300 s.
      int ttl = identity.path("ReauthorizeEvery").asInt(300);
      if (ttl == 0) {
        continue;
      }
      cached.add(a.getKey());
      assertThat(identity.path("Headers").size())
          .as(a.getKey() + " is cached, so it needs an identity source")
          .isPositive();
      assertThat(ttl)
          .as(a.getKey() + " TTL within ApiKeys.REVOCATION_BOUND (docs/security.md)")
          .isLessThanOrEqualTo((int) dev.xerosync.store.ApiKeys.REVOCATION_BOUND.toSeconds());
    }
    assertThat(cached).as("the tenant key authorizer is cached").contains("TenantKey");
    assertThat(authorizers.path("TenantKey").path("Identity").path("Headers").toString())
        .isEqualTo("[\"x-api-key\"]");
    int panelRoutes = 0;
    for (var fn : T.functions()) {
      for (var e : fn.spec().apiEvents()) {
        String route = e.method() + " " + e.path();
        boolean panelMayCall = true;
        try {
          dev.xerosync.auth.PanelTokens.allows(
              grant, route, Map.of("tenantId", "t", "recordType", "deal", "recordId", "d-1"));
        } catch (dev.xerosync.common.Problem notForPanels) {
          panelMayCall = false;
        }
        if (e.authorizer() == null || !cached.contains(e.authorizer())) {
          panelRoutes += panelMayCall ? 1 : 0;
          continue;
        }
        assertThat(e.path())
            .as(route + ": a cached policy allows /*/tenants/* only")
            .startsWith("/tenants/");
        assertThat(panelMayCall)
            .as(route + " takes a panel token (Authorization), so it cannot be keyed on x-api-key")
            .isFalse();
      }
    }
    assertThat(panelRoutes).as("the panel's routes").isEqualTo(9);
  }

  /**
   * Issue 24, finding 5: API Gateway throttles per API key, so each tenant has its own key in the
   * clients' usage plan; the functions that create, use and delete it agree on its name.
   */
  @Test
  void eachTenantIsThrottledOnItsOwnKeyInAUsagePlanWithLimits() {
    var plans = T.resourcesOfType("AWS::ApiGateway::UsagePlan");
    assertThat(plans).hasSize(1);
    JsonNode plan = plans.getFirst().getValue().path("Properties");
    assertThat(plan.path("Throttle").path("RateLimit").asDouble()).isPositive();
    assertThat(plan.path("Throttle").path("BurstLimit").asInt()).isPositive();
    assertThat(plan.path("Quota").path("Limit").asLong()).isPositive();
    Map<String, String> prefixes = new java.util.HashMap<>();
    for (var fn : T.functions()) {
      JsonNode prefix = fn.environment().path("TENANT_USAGE_KEY_PREFIX");
      if (!prefix.isMissingNode()) {
        prefixes.put(fn.id(), prefix.toString());
      }
    }
    assertThat(prefixes.keySet())
        .contains("AuthorizerFunction", "ApiKeyAdminFunction", "DisconnectFunction");
    assertThat(new TreeSet<>(prefixes.values())).as("one name for a tenant's key").hasSize(1);
    assertThat(prefixes.values().iterator().next()).contains("AWS::StackName");
    var admin =
        T.functions().stream().filter(f -> f.id().equals("ApiKeyAdminFunction")).findFirst();
    assertThat(admin.orElseThrow().environment().path("USAGE_PLAN_ID").path("Ref").asText())
        .isEqualTo(plans.getFirst().getKey());
  }

  @Test
  void functionLogsGoToALogGroupWithRetention() {
    for (var fn : T.functions()) {
      String group = fn.property("LoggingConfig").path("LogGroup").path("Ref").asText();
      assertThat(group).as(fn.id() + " LoggingConfig.LogGroup").isNotBlank();
      JsonNode logGroup = T.resource(group);
      assertThat(logGroup.path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
      assertThat(logGroup.path("Properties").path("RetentionInDays").isMissingNode())
          .as(group + " RetentionInDays")
          .isFalse();
    }
  }

  @Test
  void theTableIsOnDemandWithRecoveryEncryptionAndTtl() {
    for (var table : T.resourcesOfType("AWS::DynamoDB::Table")) {
      JsonNode p = table.getValue().path("Properties");
      assertThat(p.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
      assertThat(
              p.path("PointInTimeRecoverySpecification")
                  .path("PointInTimeRecoveryEnabled")
                  .asBoolean())
          .isTrue();
      assertThat(p.path("SSESpecification").path("SSEEnabled").asBoolean()).isTrue();
      assertThat(p.path("TimeToLiveSpecification").path("Enabled").asBoolean()).isTrue();
      assertThat(table.getValue().path("DeletionPolicy").asText()).isEqualTo("Retain");
    }
  }

  @Test
  void theOutputsGiveTheWebhookAndApiUrls() {
    assertThat(T.tree().path("Outputs").has("WebhookUrl")).isTrue();
    assertThat(T.tree().path("Outputs").has("ApiUrl")).isTrue();
  }

  private static List<JsonNode> asList(JsonNode node) {
    List<JsonNode> list = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(list::add);
    } else if (!node.isMissingNode()) {
      list.add(node);
    }
    return list;
  }

  private static Type[] requestHandlerTypes(Class<?> type) {
    for (Type t : type.getGenericInterfaces()) {
      if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
        return p.getActualTypeArguments();
      }
    }
    throw new AssertionError(type + " does not implement RequestHandler<I, O> directly");
  }
}
