package dev.hoard.cache.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A key pattern in the syntax Redis uses for {@code SCAN MATCH}: {@code *} any run of characters,
 * {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [^a]} (or {@code [!a]}) classes,
 * and {@code \} to take the next character literally. Immutable.
 */
public final class Glob {

  private static final String SPECIAL = "*?[]\\";

  private final String pattern;
  private final Token[] tokens;
  private final String literalPrefix;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.tokens = compile(pattern);
    StringBuilder prefix = new StringBuilder();
    for (Token token : tokens) {
      if (token.kind != Kind.LITERAL) {
        break;
      }
      prefix.append(token.literal);
    }
    this.literalPrefix = prefix.toString();
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if a {@code [} class is not closed or the pattern ends in a
   *     lone {@code \}
   */
  public static Glob of(String pattern) {
    return new Glob(Objects.requireNonNull(pattern, "pattern"));
  }

  /** Escapes a literal so that it matches only itself inside a pattern. */
  public static String escape(String literal) {
    StringBuilder escaped = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (SPECIAL.indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** The literal text every match starts with; stores use it to narrow a scan. */
  public String literalPrefix() {
    return literalPrefix;
  }

  /** A glob matching {@code literal} followed by whatever this glob matches. */
  public Glob prefixedWith(String literal) {
    return literal.isEmpty() ? this : new Glob(escape(literal) + pattern);
  }

  /** Whether the whole text matches. */
  public boolean matches(String text) {
    int t = 0;
    int p = 0;
    int starToken = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < tokens.length && tokens[p].kind == Kind.STAR) {
        starToken = p++;
        starText = t;
      } else if (p < tokens.length && tokens[p].matches(text.charAt(t))) {
        p++;
        t++;
      } else if (starToken >= 0) {
        p = starToken + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < tokens.length && tokens[p].kind == Kind.STAR) {
      p++;
    }
    return p == tokens.length;
  }

  /** Translates to a SQL {@code LIKE} pattern that uses {@code \} as its escape character. */
  public String toSqlLike() {
    StringBuilder like = new StringBuilder();
    for (Token token : tokens) {
      switch (token.kind) {
        case STAR -> like.append('%');
        case ONE, CLASS -> like.append('_');
        case LITERAL -> {
          if (token.literal == '%' || token.literal == '_' || token.literal == '\\') {
            like.append('\\');
          }
          like.append(token.literal);
        }
        default -> throw new AssertionError(token.kind);
      }
    }
    return like.toString();
  }

  /** Whether the pattern has character classes, which {@link #toSqlLike()} widens to one character. */
  public boolean hasClasses() {
    for (Token token : tokens) {
      if (token.kind == Kind.CLASS) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Glob glob && glob.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static Token[] compile(String pattern) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> {
          if (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind != Kind.STAR) {
            tokens.add(new Token(Kind.STAR, '\0', null, false));
          }
          i++;
        }
        case '?' -> {
          tokens.add(new Token(Kind.ONE, '\0', null, false));
          i++;
        }
        case '\\' -> {
          if (i + 1 >= pattern.length()) {
            throw new IllegalArgumentException(
                "glob '" + pattern + "' ends with a lone \\; write \\\\ for a backslash");
          }
          tokens.add(new Token(Kind.LITERAL, pattern.charAt(i + 1), null, false));
          i += 2;
        }
        case '[' -> i = compileClass(pattern, i, tokens);
        default -> {
          tokens.add(new Token(Kind.LITERAL, c, null, false));
          i++;
        }
      }
    }
    return tokens.toArray(new Token[0]);
  }

  private static int compileClass(String pattern, int open, List<Token> tokens) {
    int i = open + 1;
    boolean negated = i < pattern.length() && (pattern.charAt(i) == '^' || pattern.charAt(i) == '!');
    if (negated) {
      i++;
    }
    StringBuilder ranges = new StringBuilder();
    boolean first = true;
    while (i < pattern.length() && (pattern.charAt(i) != ']' || first)) {
      char low = pattern.charAt(i);
      if (low == '\\' && i + 1 < pattern.length()) {
        low = pattern.charAt(++i);
      }
      char high = low;
      if (i + 2 < pattern.length() && pattern.charAt(i + 1) == '-' && pattern.charAt(i + 2) != ']') {
        high = pattern.charAt(i + 2);
        if (high == '\\' && i + 3 < pattern.length()) {
          high = pattern.charAt(++i + 2);
        }
        i += 2;
      }
      ranges.append((char) Math.min(low, high)).append((char) Math.max(low, high));
      i++;
      first = false;
    }
    if (i >= pattern.length()) {
      throw new IllegalArgumentException(
          "glob '" + pattern + "' has an unclosed [ at position " + open + "; write \\[ for a bracket");
    }
    tokens.add(new Token(Kind.CLASS, '\0', ranges.toString().toCharArray(), negated));
    return i + 1;
  }

  private enum Kind { LITERAL, ONE, STAR, CLASS }

  private record Token(Kind kind, char literal, char[] ranges, boolean negated) {
    boolean matches(char c) {
      return switch (kind) {
        case LITERAL -> c == literal;
        case ONE -> true;
        case CLASS -> inClass(c) != negated;
        case STAR -> throw new AssertionError("star is matched by the caller");
      };
    }

    private boolean inClass(char c) {
      for (int r = 0; r < ranges.length; r += 2) {
        if (c >= ranges[r] && c <= ranges[r + 1]) {
          return true;
        }
      }
      return false;
    }
  }
}
