/** Jakarta Servlet filters: Hoard sessions, response caching and rate limits in front of any servlet. */
module dev.hoard.servlet {
  requires transitive dev.hoard.core;
  requires transitive dev.hoard.session;
  // The filters are jakarta.servlet.Filters; the container provides the API at run time.
  requires transitive jakarta.servlet;
  requires org.slf4j;

  exports dev.hoard.servlet;
}
