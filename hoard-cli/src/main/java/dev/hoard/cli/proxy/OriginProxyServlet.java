package dev.hoard.cli.proxy;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.ClientConnector;

/**
 * Jetty's non-blocking transparent proxy to one origin, with what a caching front door needs:
 * a case-sensitive header cache on its client (Jetty's default would hand back an earlier value
 * that differs only in letter case), the response fields the origin's {@code Connection} names
 * removed (RFC 9110 §7.6.1; Jetty removes only the fixed hop-by-hop ones), and {@code Via} only
 * when asked for.
 */
final class OriginProxyServlet extends AsyncProxyServlet.Transparent {

  private static final long serialVersionUID = 1L;

  private final boolean via;

  OriginProxyServlet(boolean via) {
    this.via = via;
  }

  @Override
  protected HttpClient newHttpClient(ClientConnector connector) {
    HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
    transport.setHeaderCacheCaseSensitive(true);
    return new HttpClient(transport);
  }

  @Override
  protected void addViaHeader(HttpServletRequest clientRequest, Request proxyRequest) {
    if (via) {
      super.addViaHeader(clientRequest, proxyRequest);
    }
  }

  @Override
  protected void onServerResponseHeaders(HttpServletRequest clientRequest,
      HttpServletResponse proxyResponse, Response serverResponse) {
    super.onServerResponseHeaders(clientRequest, proxyResponse, serverResponse);
    if (via) {
      proxyResponse.addHeader("Via", serverResponse.getVersion().asString().replace("HTTP/", "")
          + " " + getViaHost());
    }
  }

  @Override
  protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest,
      Response serverResponse, HttpField field) {
    if (connectionNamed(serverResponse).contains(field.getLowerCaseName())) {
      return null;
    }
    return super.filterServerResponseHeader(clientRequest, serverResponse, field);
  }

  private static Set<String> connectionNamed(Response serverResponse) {
    Set<String> named = new HashSet<>();
    for (String value : serverResponse.getHeaders().getValuesList("Connection")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          named.add(name.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return named;
  }
}
