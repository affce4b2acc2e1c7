package dev.hoard.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request the filter sends on to the origin: the client's, minus the client's own
 * conditional headers (the filter answers those itself from what it stores) and plus the
 * filter's validators when it revalidates. It also notices when the origin goes asynchronous, so
 * the filter can finish its work when the origin completes rather than when it returns.
 */
final class UpstreamRequest extends HttpServletRequestWrapper {

  private static final Set<String> CLIENT_CONDITIONALS = Set.of("if-none-match",
      "if-modified-since");

  private final Map<String, String> added;
  private final ServletResponse response;
  private Runnable onComplete;
  private Runnable onAbandon;
  private Async async;
  /** The client request's own asynchronous cycle, for a revalidation that runs after its answer. */
  private AsyncContext inherited;
  /** Whether {@link #whenDone} has been called: until then an ending is only recorded. */
  private boolean registered;
  /** How the asynchronous request ended before {@link #whenDone}, or null. */
  private Boolean endedEarly;
  private boolean settled;

  private UpstreamRequest(HttpServletRequest request, ServletResponse response,
      Map<String, String> added) {
    super(request);
    this.response = response;
    this.added = added;
  }

  /** The client's request without its conditional headers, answered by {@code response}. */
  public static UpstreamRequest unconditional(HttpServletRequest request,
      ServletResponse response) {
    return new UpstreamRequest(request, response, Map.of());
  }

  /**
   * A conditional request for a stored response, with the validators of {@link
   * CacheStrategy#conditions(CachedResponse)}.
   */
  public static UpstreamRequest revalidating(HttpServletRequest request,
      ServletResponse response, CachedResponse stored) {
    return new UpstreamRequest(request, response, CacheStrategy.conditions(stored));
  }

  /**
   * {@link #revalidating}, sent from another thread while the client's request waits in {@code
   * inherited}, the asynchronous cycle the filter started after answering it: an origin that goes
   * asynchronous joins that cycle, and completing it completes the client's request.
   */
  public static UpstreamRequest revalidatingLater(HttpServletRequest request,
      ServletResponse response, CachedResponse stored, AsyncContext inherited) {
    UpstreamRequest upstream =
        new UpstreamRequest(request, response, CacheStrategy.conditions(stored));
    upstream.inherited = inherited;
    return upstream;
  }

  /** Whether the origin went asynchronous (so completing its cycle is its business). */
  public synchronized boolean wentAsynchronous() {
    return async != null;
  }

  /**
   * Runs {@code finish} when the origin has finished: now if it did not go asynchronous,
   * otherwise just before it completes its {@link AsyncContext}. When the asynchronous request
   * ends another way — dispatched elsewhere, timed out, failed — {@code abandon} runs instead, and
   * must hand the response over to the container. Exactly one of the two runs.
   */
  public void whenDone(Runnable finish, Runnable abandon) {
    Boolean ended;
    synchronized (this) {
      registered = true;
      ended = async == null ? Boolean.TRUE : endedEarly;
      if (ended == null) {
        onComplete = finish;
        onAbandon = abandon;
        return;
      }
      settled = true;
    }
    // The origin finished (or went elsewhere) before the filter got here: act now.
    if (!ended) {
      abandon.run();
      return;
    }
    try {
      finish.run();
    } finally {
      if (async != null) {
        async.delegate.complete();
      }
    }
  }

  /**
   * Runs the action for how the asynchronous request ended, once. Returns false when that must
   * wait for {@link #whenDone} (a completion is then deferred until it runs).
   */
  private boolean settle(boolean finished) {
    Runnable action;
    synchronized (this) {
      if (!registered) {
        if (endedEarly == null) {
          endedEarly = finished;
        }
        return false;
      }
      if (settled) {
        return true;
      }
      settled = true;
      action = finished ? onComplete : onAbandon;
    }
    action.run();
    return true;
  }

  private boolean hidden(String name) {
    return CLIENT_CONDITIONALS.contains(name.toLowerCase(Locale.ROOT));
  }

  @Override
  public String getHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (added.containsKey(lower)) {
      return added.get(lower);
    }
    return hidden(lower) ? null : super.getHeader(name);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (added.containsKey(lower)) {
      return Collections.enumeration(Set.of(added.get(lower)));
    }
    return hidden(lower) ? Collections.emptyEnumeration() : super.getHeaders(name);
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String name : Collections.list(super.getHeaderNames())) {
      if (!hidden(name)) {
        names.add(name);
      }
    }
    names.addAll(added.keySet());
    return Collections.enumeration(names);
  }

  @Override
  public long getDateHeader(String name) {
    String value = getHeader(name);
    if (value == null) {
      return -1;
    }
    long date = HttpDates.parse(value);
    if (date < 0) {
      throw new IllegalArgumentException("header " + name + " is not a date: " + value);
    }
    return date;
  }

  @Override
  public int getIntHeader(String name) {
    String value = getHeader(name);
    return value == null ? -1 : Integer.parseInt(value.trim());
  }

  @Override
  public AsyncContext startAsync() {
    return startAsync(this, response);
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    AsyncContext started = inherited != null ? inherited : super.startAsync(request, response);
    started.addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        settle(false);
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        settle(false);
      }

      @Override
      public void onError(AsyncEvent event) {
        settle(false);
      }

      @Override
      public void onStartAsync(AsyncEvent event) {}
    });
    async = new Async(started);
    return async;
  }

  @Override
  public boolean isAsyncStarted() {
    return inherited != null ? wentAsynchronous() : super.isAsyncStarted();
  }

  @Override
  public AsyncContext getAsyncContext() {
    return async != null ? async : super.getAsyncContext();
  }

  /** Finishes the filter's work before the origin's asynchronous response completes. */
  private final class Async implements AsyncContext {
    private final AsyncContext delegate;

    Async(AsyncContext delegate) {
      this.delegate = delegate;
    }

    @Override
    public void complete() {
      boolean now = true;
      try {
        now = settle(true);
      } finally {
        if (now) {
          delegate.complete();
        }
      }
    }

    @Override
    public ServletRequest getRequest() {
      return delegate.getRequest();
    }

    @Override
    public ServletResponse getResponse() {
      return delegate.getResponse();
    }

    @Override
    public boolean hasOriginalRequestAndResponse() {
      return delegate.hasOriginalRequestAndResponse();
    }

    @Override
    public void dispatch() {
      settle(false);
      delegate.dispatch();
    }

    @Override
    public void dispatch(String path) {
      settle(false);
      delegate.dispatch(path);
    }

    @Override
    public void dispatch(ServletContext context, String path) {
      settle(false);
      delegate.dispatch(context, path);
    }

    @Override
    public void start(Runnable run) {
      delegate.start(run);
    }

    @Override
    public void addListener(AsyncListener listener) {
      delegate.addListener(listener);
    }

    @Override
    public void addListener(AsyncListener listener, ServletRequest request,
        ServletResponse response) {
      delegate.addListener(listener, request, response);
    }

    @Override
    public <T extends AsyncListener> T createListener(Class<T> type)
        throws jakarta.servlet.ServletException {
      return delegate.createListener(type);
    }

    @Override
    public void setTimeout(long timeout) {
      delegate.setTimeout(timeout);
    }

    @Override
    public long getTimeout() {
      return delegate.getTimeout();
    }
  }
}
