package dev.hoard.examples.spring;

import java.util.List;

/** A book of the shop's catalogue. */
public record Book(long id, String title, List<String> authors) {}
