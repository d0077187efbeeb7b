package io.flexc.model;

import java.util.Arrays;
import java.util.List;

/** The sections of a library metadata file, in the order the printer writes them. */
public enum LibrarySection {
  LIBRARY("Library"),
  MEMORY_ACCESS("Memory Access"),
  CALL("Call"),
  API("API"),
  REQUIRES("Requires"),
  ROLE("Role"),
  VERIFIED("Verified"),
  LANGUAGE("Language");

  private final String title;

  LibrarySection(String title) {
    this.title = title;
  }

  /** The name written between brackets, e.g. {@code Memory Access}. */
  public String title() {
    return title;
  }

  public static List<String> titles() {
    return Arrays.stream(values()).map(LibrarySection::title).toList();
  }
}
