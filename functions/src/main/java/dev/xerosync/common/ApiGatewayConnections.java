package dev.xerosync.common;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * PostToConnection of API Gateway's WebSocket management API ({@code POST
 * {endpoint}/@connections/{connectionId}}, the message as the raw body), signed with SigV4 for
 * {@code execute-api} as the SDK's ApiGatewayManagementApiClient signs it. That SDK module is not
 * on Maven Central here, and one call does not need it (nor its classes at cold start).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html
 */
public final class ApiGatewayConnections {
  /** What a post came to. */
  public enum Sent {
    DELIVERED,
    /**
     * 410 GoneException: no such connection now. Either the client disconnected, or its {@code
     * $connect} has not finished yet (API Gateway answers 410 until then).
     */
    GONE
  }

  private final URI endpoint;
  private final AwsSignedCalls calls;

  /** {@code endpoint}: {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}. */
  public ApiGatewayConnections(
      SdkHttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
    this.endpoint = endpoint;
    this.calls = new AwsSignedCalls(http, "execute-api", region, credentials);
  }

  /**
   * Sends {@code message} to one connection; any answer but 2xx or 410 is thrown as an {@link
   * ApiGatewayManagement.Failure} (its status says whether a retry can help), a network failure as
   * an unchecked I/O exception.
   */
  public Sent post(String connectionId, String message) {
    URI uri =
        URI.create(
            endpoint
                + "/@connections/"
                + URLEncoder.encode(connectionId, StandardCharsets.UTF_8).replace("+", "%20"));
    AwsSignedCalls.Answer answer =
        calls.call(SdkHttpMethod.POST, uri, message.getBytes(StandardCharsets.UTF_8));
    if (answer.status() == 410) {
      return Sent.GONE;
    }
    if (!answer.ok()) {
      throw new ApiGatewayManagement.Failure(
          answer.status(),
          answer.errorType(),
          "PostToConnection: " + new String(answer.body(), StandardCharsets.UTF_8));
    }
    return Sent.DELIVERED;
  }
}
