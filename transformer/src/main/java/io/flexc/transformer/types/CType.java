package io.flexc.transformer.types;

import java.util.List;
import java.util.Objects;

/**
 * A C type as the compiler described it in DWARF: enough to spell it and to lay out a call under
 * the System V x86-64 ABI. Pointers, and the types reached through them, keep only their names
 * ({@link Named}), since a call never looks through a pointer and structures may point to
 * themselves.
 */
public sealed interface CType {

  /** Bytes the type takes; 0 for {@code void}, functions and incomplete types. */
  long size();

  /** The alignment the ABI gives the type, in bytes. */
  long alignment();

  /** The type without typedefs and qualifiers. */
  default CType resolved() {
    return this;
  }

  /** {@code void}. */
  record Void() implements CType {
    @Override
    public long size() {
      return 0;
    }

    @Override
    public long alignment() {
      return 1;
    }
  }

  /** A base type: its name, size and DWARF encoding ({@code DW_ATE_*}). */
  record Base(String name, long size, int encoding) implements CType {
    static final int COMPLEX_FLOAT = 0x3;
    static final int FLOAT = 0x4;

    public Base {
      Objects.requireNonNull(name, "name");
    }

    public boolean isFloat() {
      return encoding == FLOAT;
    }

    public boolean isComplex() {
      return encoding == COMPLEX_FLOAT;
    }

    @Override
    public long alignment() {
      return isComplex() ? size / 2 : Math.max(1, size);
    }
  }

  /** A type known only by how it is spelled (what a pointer points to). */
  record Named(String spelling) implements CType {
    @Override
    public long size() {
      return 0;
    }

    @Override
    public long alignment() {
      return 1;
    }
  }

  /** A structure or union member at {@code bitOffset}; {@code bitSize} is 0 unless a bit field. */
  record Member(long bitOffset, long bitSize, CType type) {}

  /**
   * A structure or union; {@code name} is empty when anonymous, {@code complete} false for a
   * declaration without members.
   */
  record Record(boolean union, String name, long size, long alignment, List<Member> members, boolean complete)
      implements CType {
    public Record {
      members = List.copyOf(members);
    }

    public String spelling() {
      return (union ? "union " : "struct ") + (name.isEmpty() ? "{...}" : name);
    }
  }

  /** An enumeration; {@code name} is empty when anonymous. */
  record Enum(String name, long size) implements CType {
    @Override
    public long alignment() {
      return Math.max(1, size);
    }
  }

  /** A pointer. */
  record Pointer(CType target) implements CType {
    @Override
    public long size() {
      return 8;
    }

    @Override
    public long alignment() {
      return 8;
    }
  }

  /** Another type under a name or a qualifier: sized, aligned and resolved as that type. */
  sealed interface Alias extends CType {
    CType target();

    @Override
    default long size() {
      return target().size();
    }

    @Override
    default long alignment() {
      return target().alignment();
    }

    @Override
    default CType resolved() {
      return target().resolved();
    }
  }

  /** {@code const}, {@code volatile}, {@code restrict} or {@code _Atomic} applied to a type. */
  record Qualified(String qualifier, CType target) implements Alias {}

  /** A typedef name and what it names. */
  record Typedef(String name, CType target) implements Alias {}

  /**
   * An array of {@code count} elements (-1 when unknown); a GCC vector ({@code vector_size}) when
   * {@code vector}.
   */
  record Array(CType element, long count, boolean vector, long size) implements CType {
    @Override
    public long alignment() {
      return vector ? size : element.alignment();
    }
  }

  /**
   * A function type: result, parameters, whether more arguments may follow ({@code ...}), and
   * whether it has a prototype (a K&R definition has none).
   */
  record Function(CType result, List<CType> parameters, boolean variadic, boolean prototyped) implements CType {
    public Function {
      parameters = List.copyOf(parameters);
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public long alignment() {
      return 1;
    }
  }
}
