package dev.hoard.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** Runs a filter's after-the-response work when an asynchronous request completes. */
final class AsyncCompletion {

  private AsyncCompletion() {}

  /** Runs {@code action} once {@code context} completes, however it ends. */
  public static void onComplete(AsyncContext context, Runnable action) {
    context.addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        action.run();
      }

      @Override
      public void onTimeout(AsyncEvent event) {}

      @Override
      public void onError(AsyncEvent event) {}

      @Override
      public void onStartAsync(AsyncEvent event) {}
    });
  }
}
