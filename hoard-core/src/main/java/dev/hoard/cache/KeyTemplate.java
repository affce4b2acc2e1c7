package dev.hoard.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cache key with placeholders, such as {@code user:{id}:posts}, filled in order by {@link
 * #expand}. Arguments are escaped ({@code %} and {@code :} are percent-encoded) so that different
 * arguments can never expand to the same key. Immutable.
 */
public final class KeyTemplate {

  private final String template;
  private final List<String> literals;
  private final Pattern expansions;

  private KeyTemplate(String template, List<String> literals) {
    this.template = template;
    this.literals = literals;
    // An escaped argument holds no ':' and a '%' only as the start of %25 or %3A.
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < literals.size(); i++) {
      if (i > 0) {
        regex.append("(?:[^:%]|%25|%3A)*");
      }
      regex.append(Pattern.quote(literals.get(i)));
    }
    this.expansions = Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /**
   * Parses a template; each {@code {name}} is a placeholder.
   *
   * @throws IllegalArgumentException if a brace is not closed
   */
  public static KeyTemplate of(String template) {
    Objects.requireNonNull(template, "template");
    List<String> literals = new ArrayList<>();
    int start = 0;
    int open;
    while ((open = template.indexOf('{', start)) >= 0) {
      int close = template.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException(
            "key template '" + template + "' has an unclosed { at position " + open);
      }
      literals.add(template.substring(start, open));
      start = close + 1;
    }
    literals.add(template.substring(start));
    return new KeyTemplate(template, List.copyOf(literals));
  }

  /** How many placeholders the template has. */
  public int arity() {
    return literals.size() - 1;
  }

  /**
   * Fills the placeholders with the arguments, in order.
   *
   * @throws IllegalArgumentException if the number of arguments differs from {@link #arity()}
   */
  public String expand(Object... arguments) {
    if (arguments.length != arity()) {
      throw new IllegalArgumentException(
          "key template '" + template + "' takes " + arity() + " argument(s), got "
              + arguments.length);
    }
    StringBuilder key = new StringBuilder(template.length() + 16 * arguments.length);
    for (int i = 0; i < arguments.length; i++) {
      key.append(literals.get(i));
      escapeInto(key, String.valueOf(arguments[i]));
    }
    return key.append(literals.get(arguments.length)).toString();
  }

  /**
   * Whether {@link #expand} can produce this key: {@code user:{id}} matches {@code user:42} but
   * not {@code user:42:posts}, which its {@link #toGlob() glob} also matches.
   */
  public boolean matches(String key) {
    return expansions.matcher(key).matches();
  }

  /**
   * A glob matching every key this template can expand to, e.g. {@code user:*:posts}; it can also
   * match keys of other templates, which {@link #matches} tells apart.
   */
  public String toGlob() {
    StringBuilder glob = new StringBuilder();
    for (int i = 0; i < literals.size(); i++) {
      if (i > 0) {
        glob.append('*');
      }
      glob.append(dev.hoard.cache.spi.Glob.escape(literals.get(i)));
    }
    return glob.toString();
  }

  private static void escapeInto(StringBuilder key, String argument) {
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      switch (c) {
        case '%' -> key.append("%25");
        case ':' -> key.append("%3A");
        default -> key.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return template;
  }
}
