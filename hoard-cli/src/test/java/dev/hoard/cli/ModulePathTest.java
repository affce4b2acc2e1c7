package dev.hoard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Caches;
import dev.hoard.jdbc.JdbcStoreProvider;
import dev.hoard.memcached.MemcachedStoreProvider;
import dev.hoard.redis.RedisStoreProvider;
import dev.hoard.servlet.SessionFilter;
import dev.hoard.session.Sessions;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library modules' descriptors, proven the way an application on the module path meets them:
 * a small module that {@code requires} them is compiled against them and run with {@code java
 * --module-path}. It opens a memory cache and memory sessions (the {@code uses} of core and
 * session), lists the URL schemes every backend {@code provides}, and cannot see an {@code
 * internal} package.
 */
class ModulePathTest {

  /** Third-party jars the library modules need at run time, by file name prefix. */
  private static final List<String> DEPENDENCIES = List.of("jackson-", "caffeine-", "slf4j-api-",
      "lettuce-core-", "netty-", "reactor-core-", "reactive-streams-", "HikariCP-",
      "jakarta.servlet-api-");

  @TempDir Path dir;

  @Test
  void aModuleRequiringHoardOpensAMemoryCacheAndFindsEveryBackendByScheme() throws Exception {
    List<String> requires = new ArrayList<>(List.of("dev.hoard.core", "dev.hoard.session",
        "dev.hoard.redis", "dev.hoard.jdbc", "dev.hoard.servlet"));
    // Memcached is an automatic module named in its jar's manifest; a build that stops before
    // `package` hands tests the classes directory instead, which has no such name.
    if (automaticModuleName(locationOf(MemcachedStoreProvider.class)) != null) {
      requires.add("dev.hoard.memcached");
    }
    Path sources = write("module consumer {\n"
        + requires.stream().map(name -> "  requires " + name + ";\n").collect(Collectors.joining())
        + "  uses dev.hoard.cache.spi.CacheStoreProvider;\n"
        + "  uses dev.hoard.session.spi.SessionStoreProvider;\n"
        + "}\n", """
        package consumer;

        import dev.hoard.cache.Cache;
        import dev.hoard.cache.Caches;
        import dev.hoard.cache.spi.CacheStoreProvider;
        import dev.hoard.servlet.SessionFilter;
        import dev.hoard.session.SessionManager;
        import dev.hoard.session.Sessions;
        import dev.hoard.session.spi.SessionStoreProvider;
        import java.time.Duration;
        import java.util.ServiceLoader;
        import java.util.TreeSet;

        public class Main {
          public static void main(String[] args) {
            try (Cache cache = Caches.open("memory://")) {
              cache.put("greeting", "hello from the module path", Duration.ofMinutes(1));
              System.out.println(cache.get("greeting", String.class));
            }
            try (SessionManager sessions = Sessions.open("memory://")) {
              SessionFilter filter = SessionFilter.builder(sessions).build();
              System.out.println("filter " + (filter != null));
            }
            TreeSet<String> cacheSchemes = new TreeSet<>();
            ServiceLoader.load(CacheStoreProvider.class).forEach(p -> cacheSchemes.addAll(p.schemes()));
            System.out.println("cache schemes " + cacheSchemes);
            TreeSet<String> sessionSchemes = new TreeSet<>();
            ServiceLoader.load(SessionStoreProvider.class)
                .forEach(p -> sessionSchemes.addAll(p.schemes()));
            System.out.println("session schemes " + sessionSchemes);
          }
        }
        """);

    Path classes = compile(sources);
    String out = run(classes);

    assertThat(out).contains("hello from the module path", "filter true");
    assertThat(line(out, "cache schemes ")).contains("[file, jdbc, ", "memory, redis, ");
    assertThat(line(out, "session schemes ")).startsWith("[cache, cookie, jdbc, memory, redis, ");
    if (requires.contains("dev.hoard.memcached")) {
      assertThat(line(out, "cache schemes ")).contains(" memcached, ");
    }
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
        .findFirst().orElseThrow(() -> new AssertionError("no line '" + prefix + "' in " + out));
  }

  @Test
  void internalPackagesAreNotVisibleToAModuleThatRequiresHoard() throws Exception {
    Path sources = write("module consumer { requires dev.hoard.core; }\n", """
        package consumer;

        public class Main {
          public static void main(String[] args) {
            System.out.println(dev.hoard.cache.resilience.internal.CircuitBreaker.class);
          }
        }
        """);

    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac(sources, dir.resolve("classes"), diagnostics);

    assertThat(compiled).isFalse();
    assertThat(diagnostics.toString())
        .contains("package dev.hoard.cache.resilience.internal is not visible");
  }

  private Path write(String moduleInfo, String main) throws IOException {
    Path sources = dir.resolve("src");
    Files.createDirectories(sources.resolve("consumer"));
    Files.writeString(sources.resolve("module-info.java"), moduleInfo);
    Files.writeString(sources.resolve("consumer/Main.java"), main);
    return sources;
  }

  private Path compile(Path sources) throws IOException {
    Path classes = dir.resolve("classes");
    StringWriter diagnostics = new StringWriter();
    assertThat(javac(sources, classes, diagnostics)).as(diagnostics.toString()).isTrue();
    return classes;
  }

  private static boolean javac(Path sources, Path classes, StringWriter diagnostics)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null,
        StandardCharsets.UTF_8); Stream<Path> tree = Files.walk(sources)) {
      List<File> javaFiles = tree.filter(p -> p.toString().endsWith(".java")).map(Path::toFile)
          .toList();
      List<String> options = List.of("--release", "17", "-d", classes.toString(),
          "--module-path", modulePath());
      return javac.getTask(diagnostics, files, null, options, null,
          files.getJavaFileObjectsFromFiles(javaFiles)).call();
    }
  }

  private static String run(Path classes) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(),
        "--module-path", classes + File.pathSeparator + modulePath(),
        "-m", "consumer/consumer.Main")
        .redirectErrorStream(true)
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  /** Hoard's library modules as the build hands them to this test, and what they need. */
  private static String modulePath() {
    Set<String> path = new LinkedHashSet<>();
    for (Class<?> type : List.of(Caches.class, Sessions.class, RedisStoreProvider.class,
        JdbcStoreProvider.class, MemcachedStoreProvider.class, SessionFilter.class)) {
      Path location = locationOf(type);
      if (Files.isDirectory(location) && type == MemcachedStoreProvider.class) {
        continue;
      }
      path.add(location.toString());
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && DEPENDENCIES.stream().anyMatch(name::startsWith)) {
        path.add(entry);
      }
    }
    return String.join(File.pathSeparator, path);
  }

  private static Path locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String automaticModuleName(Path location) throws IOException {
    if (Files.isDirectory(location)) {
      return null;
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    }
  }
}
