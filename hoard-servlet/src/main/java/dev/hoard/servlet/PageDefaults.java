package dev.hoard.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the application configured about its own pages, applied to a response's header lines
 * before the cache judges them: a TTL (a rule's, or the default for responses without explicit
 * freshness) written as {@value CachePolicy#OWN_TARGETED_FIELD}{@code : max-age=N}, so that it
 * binds this cache only, and extra {@code Vary} names. Immutable.
 *
 * @param ttl the freshness to give, or {@code null}
 * @param overrides whether {@code ttl} replaces explicit freshness too (a path rule) or only
 *     fills in when there is none (the default TTL)
 * @param vary request header names to add to {@code Vary}
 */
record PageDefaults(Duration ttl, boolean overrides, List<String> vary) {

  /** Nothing to add. */
  public static final PageDefaults NONE = new PageDefaults(null, false, List.of());

  /** Copies the names. */
  public PageDefaults {
    vary = List.copyOf(vary);
  }

  /**
   * The header lines the cache judges for a response with this status and these lines. A TTL is
   * given only to statuses the policy may store heuristically: an error page is not made
   * cacheable by a path rule.
   */
  public List<Header> applyTo(int status, List<Header> headers, CachePolicy policy) {
    if (ttl == null && vary.isEmpty()) {
      return headers;
    }
    List<Header> adjusted = new ArrayList<>(headers);
    if (!vary.isEmpty()) {
      Set<String> names = new LinkedHashSet<>();
      Set<String> lower = new LinkedHashSet<>();
      for (String name : Header.elements(headers, "Vary")) {
        if (lower.add(name.toLowerCase(Locale.ROOT))) {
          names.add(name);
        }
      }
      for (String name : vary) {
        if (lower.add(name.toLowerCase(Locale.ROOT))) {
          names.add(name);
        }
      }
      adjusted.removeIf(header -> header.name().equalsIgnoreCase("Vary"));
      adjusted.add(new Header("Vary", String.join(", ", names)));
    }
    if (ttl != null && policy.storableHeuristically(status) && givesTtl(headers, policy)) {
      adjusted.add(new Header(CachePolicy.OWN_TARGETED_FIELD, "max-age=" + ttl.getSeconds()));
    }
    return adjusted;
  }

  private boolean givesTtl(List<Header> headers, CachePolicy policy) {
    if (Header.contains(headers, CachePolicy.OWN_TARGETED_FIELD)
        || Header.contains(headers, "Set-Cookie")) {
      return false;
    }
    CacheControl cc = policy.directives(headers);
    if (cc.has("no-store") || cc.hasBare("private")) {
      return false;
    }
    return overrides || !policy.hasExplicitFreshness(headers);
  }
}
