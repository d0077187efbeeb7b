package io.flexc.model;

import java.util.Objects;

/**
 * A trust edge of flexc.yaml's {@code trust:} (after RLBox's sandbox model): the memory of library
 * {@code owner}'s compartment (data, bss, heap; not its stacks) may be read, or also written, by
 * library {@code reader}'s compartment. It does not change which libraries may share a
 * compartment; it reduces the owner's isolation from the reader to write-protection ({@link
 * Access#READ}) or to none ({@link Access#WRITE}). Trust is one-way: the reader's memory stays
 * closed to the owner.
 */
public record Trust(String owner, String reader, Access access, SourcePosition position) {

  /** How far the reader may go into the owner's memory, with the flexc.yaml key that says so. */
  public enum Access {
    READ("readableBy", "read"),
    WRITE("writableBy", "read-write");

    private final String key;
    private final String label;

    Access(String key, String label) {
      this.key = key;
      this.label = label;
    }

    /** The key of flexc.yaml that declares it. */
    public String key() {
      return key;
    }

    /** The word report.json and summary.txt use. */
    public String label() {
      return label;
    }
  }

  public Trust {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(position, "position");
    if (owner.equals(reader)) {
      throw new IllegalArgumentException("library '" + owner + "' cannot trust itself");
    }
  }

  /** The edge as the user wrote it, e.g. {@code lua: {readableBy: [server]}}. */
  public String describe() {
    return owner + ": {" + access.key() + ": [" + reader + "]}";
  }
}
