package dev.hoard.servlet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests an HTTP client would normalise or refuse (targets
 * like {@code //x}, {@code /./x}, {@code %2F}; odd methods; bodies that are not UTF-8; headers
 * whose case matters) and for several requests on one kept-alive connection.
 */
public final class RawHttp implements AutoCloseable {

  /** One response: status, headers in order, body as text. */
  public record Response(int status, List<String[]> headers, String body) {

    @Override
    public String toString() {
      return status + " " + headers.stream().map(header -> header[0] + ": " + header[1]).toList()
          + " " + body;
    }

    /** The first value of a header, ignoring the name's case. */
    public Optional<String> header(String name) {
      return headers.stream().filter(header -> header[0].equalsIgnoreCase(name))
          .map(header -> header[1]).findFirst();
    }

    /** Every value of a header, ignoring the name's case. */
    public List<String> headers(String name) {
      return headers.stream().filter(header -> header[0].equalsIgnoreCase(name))
          .map(header -> header[1]).toList();
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** A kept-alive connection to the local port. */
  public static RawHttp connect(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one request on a connection of its own. */
  public static Response once(int port, String method, String target, String... headers) {
    String[] closing = Arrays.copyOf(headers, headers.length + 1);
    closing[headers.length] = "Connection: close";
    try (RawHttp connection = connect(port)) {
      return connection.send(method, target, closing);
    }
  }

  /**
   * Sends {@code method target HTTP/1.1} with {@code headers} ("Name: value" each) and an empty
   * body, and reads the response.
   */
  public Response send(String method, String target, String... headers) {
    return send(method, target, new byte[0], headers);
  }

  /**
   * Sends {@code method target HTTP/1.1} with {@code headers} ("Name: value" each) and {@code
   * body} as it is (bytes that are not UTF-8 too), and reads the response. A Content-Length is
   * added unless a header gives one or there is neither a body nor a method that expects one.
   */
  public Response send(String method, String target, byte[] body, String... headers) {
    StringBuilder request = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(socket.getPort()).append("\r\n");
    boolean hasLength = false;
    for (String header : headers) {
      request.append(header).append("\r\n");
      hasLength |= header.toLowerCase(Locale.ROOT).startsWith("content-length:");
    }
    // A bodiless POST, PUT or PATCH still says so; TRACE and the like must carry no length at all.
    if (!hasLength && (body.length > 0 || List.of("POST", "PUT", "PATCH").contains(method))) {
      request.append("Content-Length: ").append(body.length).append("\r\n");
    }
    request.append("\r\n");
    try {
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(method.equals("HEAD"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response read(boolean head) throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    List<String[]> headers = new ArrayList<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
    }
    Response bare = new Response(status, headers, "");
    byte[] body;
    if (head || status == 204 || status == 304) {
      body = new byte[0];
    } else if (bare.header("Transfer-Encoding").filter(value -> value.contains("chunked"))
        .isPresent()) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
          size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
        chunks.write(in.readNBytes(size));
        line();
      }
      skipTrailers();
      body = chunks.toByteArray();
    } else if (bare.header("Content-Length").isPresent()) {
      body = in.readNBytes(Integer.parseInt(bare.header("Content-Length").orElseThrow()));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private void skipTrailers() throws IOException {
    String trailer = line();
    while (!trailer.isEmpty()) {
      trailer = line();
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed in the middle of a response");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
