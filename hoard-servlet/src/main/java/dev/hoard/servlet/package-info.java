/** Jakarta Servlet filters that put Hoard sessions, response caching and rate limits in front of any servlet. */
package dev.hoard.servlet;
