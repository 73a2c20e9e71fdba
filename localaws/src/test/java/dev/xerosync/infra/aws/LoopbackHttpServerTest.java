package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackHttpServerTest {

  private LoopbackHttpServer server;

  @BeforeEach
  void start() {
    // Echoes the method, path, one header and the body, so each part of the parse shows.
    server =
        LoopbackHttpServer.start(
            "test-server",
            r ->
                new LoopbackHttpServer.Response(
                    200,
                    Map.of("Content-Type", "text/plain"),
                    (r.method() + " " + r.path() + " " + r.header("X-Amz-Target") + " ")
                        .concat(new String(r.body(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesSeveralRequestsOnOneKeepAliveConnectionFromTheJdkClient() throws Exception {
    var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 3; i++) {
      var response =
          client.send(
              HttpRequest.newBuilder(server.endpoint().resolve("/?q=1"))
                  .header("X-Amz-Target", "Svc.Op" + i)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("POST / Svc.Op" + i + " {\"n\":" + i + "}");
    }
  }

  @Test
  void readsAChunkedBodyAndAnswersTheNextRequestOnTheSameSocket() throws Exception {
    List<String> lines =
        exchange(
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: A.B\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    // Bodies carry no line end, so the second status line follows the first body directly.
    assertThat(String.join("\n", lines))
        .contains("Content-Length: 18\n\nPOST / A.B {\"a\":1}HTTP/1.1 200 OK")
        .endsWith("Content-Length: 15\n\nGET /next null ");
  }

  @Test
  void aMalformedRequestGetsA400AndTheServerStaysUp() throws Exception {
    assertThat(exchange("NONSENSE\r\n\r\n").get(0)).startsWith("HTTP/1.1 400");
    assertThat(exchange("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n").get(0))
        .startsWith("HTTP/1.1 400");
    assertThat(
            exchange("POST / HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").get(0))
        .startsWith("HTTP/1.1 200");
  }

  private List<String> exchange(String raw) throws Exception {
    try (var socket = new Socket(server.endpoint().getHost(), server.endpoint().getPort())) {
      socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      socket.shutdownOutput();
      var reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      var lines = new ArrayList<String>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
      return lines;
    }
  }
}
