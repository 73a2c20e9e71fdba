package dev.xerosync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.DynamoDbStandIn;
import dev.xerosync.infra.aws.dynamodb.Database;
import dev.xerosync.infra.aws.dynamodb.DynamoError;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * A {@link DynamoDbClient} that hands each request to the DynamoDB stand-in's {@link Database} in
 * this thread, without HTTP: the same JSON in, the same JSON out, the same errors, as the stand-in
 * serves over its wire protocol ({@link DynamoDbStandIn}). Requests and responses are converted
 * through the SDK model's own field descriptions ({@link SdkField}: member names, lists, maps,
 * nested structures), as the SDK's JSON protocol does. For simulations that make hundreds of
 * thousands of budget calls: the SDK's pipeline and the loopback socket were most of
 * ScaleBenchmark's time (a JFR profile), and neither decides anything.
 */
final class InProcessDynamoDb implements InvocationHandler {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";

  private final Database database;
  private final Map<Method, Supplier<SdkPojo>> responses = new ConcurrentHashMap<>();

  /** Requests and capacity units by operation, as the stand-in counts them, since start. */
  private static final Map<String, double[]> USAGE = new ConcurrentHashMap<>();

  private InProcessDynamoDb(Database database) {
    this.database = database;
  }

  /** A client over a new, empty stand-in database that reads {@code clock}. */
  static DynamoDbClient start(Clock clock) {
    var handler =
        new InProcessDynamoDb(
            new Database(clock, DynamoDbStandIn.REGION, DynamoDbStandIn.ACCOUNT_ID));
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, handler);
  }

  /**
   * The template's table {@code Table} with its key only: the rate budget reads and writes items by
   * key (its own and, in the fence's check, the tenant's connection).
   */
  static String createTable(DynamoDbClient client) {
    JsonNode properties =
        dev.xerosync.infra.aws.CloudFormationTemplate.fromClasspath()
            .resource("Table")
            .path("Properties");
    ObjectNode request = NODES.objectNode();
    String name = "Table";
    request.put("TableName", name);
    request.put("BillingMode", "PAY_PER_REQUEST");
    request.set("KeySchema", properties.path("KeySchema").deepCopy());
    ArrayNode attributes = request.putArray("AttributeDefinitions");
    for (JsonNode key : properties.path("KeySchema")) {
      for (JsonNode a : properties.path("AttributeDefinitions")) {
        if (a.path("AttributeName").equals(key.path("AttributeName"))) {
          attributes.add(a.deepCopy());
        }
      }
    }
    client.createTable(
        (software.amazon.awssdk.services.dynamodb.model.CreateTableRequest)
            fromJson(
                request,
                () ->
                    (SdkPojo)
                        software.amazon.awssdk.services.dynamodb.model.CreateTableRequest
                            .builder()));
    return name;
  }

  /** Read (or write) capacity units since the process started, as the stand-in counts them. */
  static double units(boolean read) {
    return USAGE.values().stream().mapToDouble(u -> read ? u[1] : u[2]).sum();
  }

  /**
   * Requests, read units and write units by operation since the process started, times {@code
   * scale}.
   */
  static String usage(double scale) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(USAGE)
        .forEach(
            (op, u) -> {
              if (!op.equals("CreateTable")) {
                b.append(
                    String.format(
                        "%s%s %.0f requests, %.0f RCU, %.0f WCU",
                        b.isEmpty() ? "" : "; ", op, u[0] * scale, u[1] * scale, u[2] * scale));
              }
            });
    return b.toString();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "serviceName" -> {
        return DynamoDbClient.SERVICE_NAME;
      }
      case "close" -> {
        return null;
      }
      case "toString" -> {
        return "InProcessDynamoDb";
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == args[0];
      }
      default -> {}
    }
    if (args != null
        && args.length == 1
        && args[0] instanceof SdkPojo request
        && software.amazon.awssdk.core.SdkResponse.class.isAssignableFrom(method.getReturnType())) {
      String name = method.getName();
      String operation = Character.toUpperCase(name.charAt(0)) + name.substring(1);
      ObjectNode reply;
      ObjectNode json = toJson(request);
      json.put("ReturnConsumedCapacity", "TOTAL");
      double[] usage = USAGE.computeIfAbsent(operation, k -> new double[3]);
      usage[0]++;
      try {
        reply = database.handle(operation, json);
      } catch (DynamoError e) {
        throw exception(e);
      }
      JsonNode consumed = reply.get("ConsumedCapacity");
      for (JsonNode c :
          consumed == null
              ? List.<JsonNode>of()
              : consumed.isArray() ? consumed : List.of(consumed)) {
        boolean read = operation.equals("GetItem") || operation.equals("Query");
        usage[read ? 1 : 2] += c.path("CapacityUnits").asDouble();
      }
      return fromJson(reply, responses.computeIfAbsent(method, InProcessDynamoDb::builderOf));
    }
    if (method.isDefault()) {
      // The Consumer<Builder> overloads and paginators: they build the request and call back in.
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    throw new UnsupportedOperationException(method.getName());
  }

  private static Supplier<SdkPojo> builderOf(Method method) {
    try {
      MethodHandle builder =
          MethodHandles.publicLookup()
              .findStatic(
                  method.getReturnType(),
                  "builder",
                  MethodType.methodType(
                      method.getReturnType().getMethod("builder").getReturnType()));
      return () -> {
        try {
          return (SdkPojo) builder.invoke();
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no builder for " + method.getReturnType(), e);
    }
  }

  private static RuntimeException exception(DynamoError e) {
    String message = e.getMessage();
    return switch (e.type()) {
      case "ConditionalCheckFailedException" ->
          ConditionalCheckFailedException.builder().message(message).statusCode(400).build();
      case "TransactionCanceledException" -> {
        List<CancellationReason> reasons = new ArrayList<>();
        JsonNode listed = e.extra() == null ? null : e.extra().get("CancellationReasons");
        if (listed != null) {
          for (JsonNode r : listed) {
            reasons.add(
                (CancellationReason)
                    fromJson((ObjectNode) r, () -> (SdkPojo) CancellationReason.builder()));
          }
        }
        yield TransactionCanceledException.builder()
            .message(message)
            .statusCode(400)
            .cancellationReasons(reasons)
            .build();
      }
      default ->
          DynamoDbException.builder()
              .message(message)
              .statusCode(e.status())
              .awsErrorDetails(
                  software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                      .errorCode(e.type())
                      .errorMessage(message)
                      .serviceName(ERROR_PREFIX)
                      .build())
              .build();
    };
  }

  // ---- SDK model <-> DynamoDB JSON, by the model's field descriptions

  /** The field's type by name, compared by identity as the SDK's own marshallers do. */
  private static String kind(SdkField<?> f) {
    MarshallingType<?> t = f.marshallingType();
    if (t == MarshallingType.STRING) {
      return "String";
    } else if (t == MarshallingType.BOOLEAN) {
      return "Boolean";
    } else if (t == MarshallingType.INTEGER) {
      return "Integer";
    } else if (t == MarshallingType.LONG) {
      return "Long";
    } else if (t == MarshallingType.DOUBLE) {
      return "Double";
    } else if (t == MarshallingType.SDK_BYTES) {
      return "SdkBytes";
    } else if (t == MarshallingType.INSTANT) {
      return "Instant";
    } else if (t == MarshallingType.SDK_POJO) {
      return "SdkPojo";
    } else if (t == MarshallingType.LIST) {
      return "List";
    } else if (t == MarshallingType.MAP) {
      return "Map";
    }
    return String.valueOf(t);
  }

  static ObjectNode toJson(SdkPojo pojo) {
    ObjectNode node = NODES.objectNode();
    for (SdkField<?> f : pojo.sdkFields()) {
      Object value = f.getValueOrDefault(pojo);
      if (value == null
          || value instanceof SdkAutoConstructList<?>
          || value instanceof SdkAutoConstructMap<?, ?>) {
        continue;
      }
      node.set(f.locationName(), toJson(f, value));
    }
    return node;
  }

  private static JsonNode toJson(SdkField<?> f, Object value) {
    return switch (kind(f)) {
      case "String" -> NODES.textNode((String) value);
      case "Boolean" -> NODES.booleanNode((Boolean) value);
      case "Integer" -> NODES.numberNode((Integer) value);
      case "Long" -> NODES.numberNode((Long) value);
      case "SdkBytes" ->
          NODES.textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
      case "SdkPojo" -> toJson((SdkPojo) value);
      case "List" -> {
        ArrayNode array = NODES.arrayNode();
        SdkField<?> member = f.getTrait(ListTrait.class).memberFieldInfo();
        for (Object e : (List<?>) value) {
          array.add(toJson(member, e));
        }
        yield array;
      }
      case "Map" -> {
        ObjectNode map = NODES.objectNode();
        SdkField<?> member = f.getTrait(MapTrait.class).valueFieldInfo();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          map.set((String) e.getKey(), toJson(member, e.getValue()));
        }
        yield map;
      }
      default ->
          throw new IllegalArgumentException(
              "no conversion for " + f.memberName() + " (" + f.marshallingType() + ")");
    };
  }

  static Object fromJson(ObjectNode json, Supplier<SdkPojo> constructor) {
    SdkPojo builder = constructor.get();
    for (SdkField<?> f : builder.sdkFields()) {
      JsonNode value = json.get(f.locationName());
      if (value != null && !value.isNull()) {
        f.set(builder, fromJson(f, value));
      }
    }
    return ((SdkBuilder<?, ?>) builder).build();
  }

  private static Object fromJson(SdkField<?> f, JsonNode value) {
    return switch (kind(f)) {
      case "String" -> value.asText();
      case "Boolean" -> value.asBoolean();
      case "Integer" -> value.asInt();
      case "Long" -> value.asLong();
      case "Double" -> value.asDouble();
      case "SdkBytes" -> SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asText()));
      case "Instant" -> java.time.Instant.ofEpochMilli((long) (value.asDouble() * 1000));
      case "SdkPojo" -> fromJson((ObjectNode) value, f.constructor());
      case "List" -> {
        SdkField<?> member = f.getTrait(ListTrait.class).memberFieldInfo();
        List<Object> list = new ArrayList<>();
        value.forEach(e -> list.add(fromJson(member, e)));
        yield list;
      }
      case "Map" -> {
        SdkField<?> member = f.getTrait(MapTrait.class).valueFieldInfo();
        Map<String, Object> map = new LinkedHashMap<>();
        value.properties().forEach(e -> map.put(e.getKey(), fromJson(member, e.getValue())));
        yield map;
      }
      default ->
          throw new IllegalArgumentException(
              "no conversion for " + f.memberName() + " (" + f.marshallingType() + ")");
    };
  }
}
