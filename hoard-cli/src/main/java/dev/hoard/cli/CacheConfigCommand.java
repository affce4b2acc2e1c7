package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreUrl;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache config}: shows which store a URL resolves to and how it is set up. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Prints the resolved store URL (password hidden), the store, its capabilities"
        + " and codec, and the URL schemes this hoard knows.")
final class CacheConfigCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    StoreOptions.Resolved resolved = store.resolve(environment);
    StoreUrl url = StoreUrl.parse(resolved.url());
    String name;
    try (Cache opened = store.open(environment)) {
      name = opened.name();
    }
    String description;
    Set<StoreCapability> capabilities;
    try (CacheStore bare = store.openStore(environment)) {
      description = bare.description();
      capabilities = bare.capabilities();
    }
    PrintWriter out = environment.out();
    out.println("url:          " + url + "  (from " + resolved.source() + ")");
    out.println("store:        " + description);
    out.println("capabilities: " + (capabilities.isEmpty() ? "none"
        : capabilities.stream().map(Enum::name).sorted().collect(Collectors.joining(", "))));
    out.println("codec:        " + (capabilities.contains(StoreCapability.STORES_REFERENCES)
        ? "none (values are kept as objects)"
        : url.parameters().getOrDefault("codec", "json")));
    out.println("name:         " + name);
    out.println("default ttl:  "
        + url.parameters().getOrDefault("ttl", "not set (library default)"));
    out.println("schemes:      " + String.join(", ", schemes()));
    return Hoard.OK;
  }

  private static Set<String> schemes() {
    Set<String> schemes = new TreeSet<>();
    ServiceLoader.load(CacheStoreProvider.class).forEach(p -> schemes.addAll(p.schemes()));
    return schemes;
  }
}
