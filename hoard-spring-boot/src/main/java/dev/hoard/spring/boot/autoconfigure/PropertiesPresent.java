package dev.hoard.spring.boot.autoconfigure;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Conditions on a list or map property having an entry, which {@code @ConditionalOnProperty} cannot test. */
abstract class PropertiesPresent extends SpringBootCondition {

  private final String name;
  private final Bindable<?> shape;

  PropertiesPresent(String name, Bindable<?> shape) {
    this.name = name;
    this.shape = shape;
  }

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    boolean present = Binder.get(context.getEnvironment()).bind(name, shape)
        .map(value -> value instanceof Map<?, ?> map ? !map.isEmpty() : !((List<?>) value).isEmpty())
        .orElse(false);
    return present
        ? ConditionOutcome.match(name + " is set")
        : ConditionOutcome.noMatch(name + " is not set");
  }

  /** {@code hoard.rate-limit.routes} has a route. */
  static final class RateLimitRoutes extends PropertiesPresent {
    RateLimitRoutes() {
      super("hoard.rate-limit.routes", Bindable.mapOf(String.class, HoardProperties.Route.class));
    }
  }

  /** {@code hoard.response-cache.paths} has a path. */
  static final class ResponseCachePaths extends PropertiesPresent {
    ResponseCachePaths() {
      super("hoard.response-cache.paths", Bindable.listOf(String.class));
    }
  }
}
