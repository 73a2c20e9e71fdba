package dev.xerosync.infra.aws;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 server on a loopback port for the AWS JSON-protocol stand-ins: one virtual
 * thread per keep-alive connection, request bodies by Content-Length or chunked, responses with a
 * Content-Length. It exists because the JDK's {@code com.sun.net.httpserver} spent about a fifth of
 * a DynamoDB call's CPU on its dispatcher hand-off, date headers and flushes (measured with JFR on
 * {@code DynamoDbBenchmark}); the SDK client only ever sends one request at a time per connection.
 */
final class LoopbackHttpServer implements AutoCloseable {

  /** One request, with header names in lower case. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One response; the server adds Content-Length and the connection headers. */
  record Response(int status, Map<String, String> headers, byte[] body) {}

  @FunctionalInterface
  interface Handler {
    Response handle(Request request);
  }

  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final ServerSocket socket;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Handler handler;
  private final Thread acceptor;
  private volatile boolean closed;

  private LoopbackHttpServer(ServerSocket socket, Handler handler, String name) {
    this.socket = socket;
    this.handler = handler;
    this.acceptor = Thread.ofPlatform().daemon().name(name).unstarted(this::accept);
  }

  static LoopbackHttpServer start(String name, Handler handler) {
    ServerSocket socket;
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    } catch (IOException e) {
      throw new UncheckedIOException(name + " could not bind a loopback port", e);
    }
    var server = new LoopbackHttpServer(socket, handler, name);
    server.acceptor.start();
    return server;
  }

  URI endpoint() {
    return URI.create(
        "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort());
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is best effort; the port is released with the process at worst.
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // As above.
      }
    }
    connections.close();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket s = socket.accept();
        s.setTcpNoDelay(true);
        open.add(s);
        connections.execute(() -> serve(s));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      while (!closed) {
        Request request;
        try {
          request = read(in);
        } catch (BadRequest e) {
          write(out, new Response(400, Map.of(), e.getMessage().getBytes(StandardCharsets.UTF_8)));
          return;
        }
        if (request == null) {
          return;
        }
        Response response = handler.handle(request);
        write(out, response);
        if ("close".equalsIgnoreCase(request.header("connection"))) {
          return;
        }
      }
    } catch (SocketException e) {
      // The client went away; nothing is owed to it.
    } catch (IOException e) {
      // As above: a broken connection ends only itself.
    } finally {
      open.remove(s);
    }
  }

  /** The next request on the connection, or null when the client closed it between requests. */
  private static Request read(InputStream in) throws IOException {
    String requestLine = line(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("Malformed request line");
    }
    var headers = new TreeMap<String, String>();
    int headerBytes = 0;
    for (String h = line(in, false); !h.isEmpty(); h = line(in, false)) {
      headerBytes += h.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw new BadRequest("Request headers too large");
      }
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest("Malformed header line");
      }
      headers.merge(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim(),
          (a, b) -> a + "," + b);
    }
    if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
      throw new BadRequest("Expect: 100-continue is not supported");
    }
    byte[] body;
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else if (length != null) {
      int n;
      try {
        n = Integer.parseInt(length);
      } catch (NumberFormatException e) {
        throw new BadRequest("Malformed Content-Length");
      }
      if (n < 0 || n > MAX_BODY_BYTES) {
        throw new BadRequest("Content-Length out of range");
      }
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new IOException("connection closed inside a request body");
      }
    } else {
      body = new byte[0];
    }
    String target = parts[1];
    int query = target.indexOf('?');
    return new Request(parts[0], query < 0 ? target : target.substring(0, query), headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    var body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, false);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)), 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("Malformed chunk size");
      }
      if (size == 0) {
        while (!line(in, false).isEmpty()) {
          // Trailers carry nothing the stand-ins use.
        }
        return body.toByteArray();
      }
      if (body.size() + size > MAX_BODY_BYTES) {
        throw new BadRequest("Request body too large");
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new IOException("connection closed inside a chunk");
      }
      body.write(chunk);
      line(in, false);
    }
  }

  /** A CRLF-terminated line in ISO-8859-1; null at end of stream only where allowed. */
  private static String line(InputStream in, boolean endAllowed) throws IOException {
    var sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (endAllowed && sb.isEmpty()) {
          return null;
        }
        throw new IOException("connection closed inside a request head");
      }
      if (c == '\n') {
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
          sb.setLength(end - 1);
        }
        return sb.toString();
      }
      if (sb.length() > MAX_HEADER_BYTES) {
        throw new BadRequest("Request line too long");
      }
      sb.append((char) c);
    }
  }

  private static void write(OutputStream out, Response response) throws IOException {
    var head = new StringBuilder(256);
    head.append("HTTP/1.1 ")
        .append(response.status())
        .append(' ')
        .append(reason(response.status()));
    head.append("\r\n");
    response
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(response.body().length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(response.body());
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 413 -> "Payload Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }
}
