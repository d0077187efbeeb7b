package io.flexc.model;

/**
 * What a library's {@code [Requires]} section allows co-located libraries to do to it, beyond
 * calling its API: read its memory, write it, or enter its code anywhere.
 */
public enum Permission {
  R("read its memory"),
  W("write its memory"),
  X("enter its code anywhere, not only through its API");

  private final String meaning;

  Permission(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
