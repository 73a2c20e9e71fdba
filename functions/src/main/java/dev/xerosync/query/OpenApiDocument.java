package dev.xerosync.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Our API's OpenAPI 3.1 document, served as checked in (src/main/resources/openapi.yaml). */
final class OpenApiDocument {
  private OpenApiDocument() {}

  private static final class Holder {
    static final String TEXT = load();
  }

  static String text() {
    return Holder.TEXT;
  }

  private static String load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream("/openapi.yaml")) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is missing from the deployment jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
