package io.flexc.transformer.types;

import io.flexc.model.CallShape;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Lays out a call under the System V x86-64 ABI (psABI 3.2.3): each argument's eightbytes are
 * classified INTEGER, SSE, SSEUP, X87, X87UP, COMPLEX_X87 or MEMORY from its members, an argument
 * goes in registers when all its eightbytes find one (six integer, eight vector; one integer less
 * when the result comes back through a hidden pointer) and on the stack otherwise, in slots of 8
 * bytes (16 for types aligned to 16). Bit fields count as their storage type; packed members that
 * are not aligned put the whole aggregate in memory.
 */
public final class SystemVClassifier {

  /** The class of one eightbyte. */
  enum Kind {
    NO_CLASS,
    INTEGER,
    SSE,
    SSEUP,
    X87,
    X87UP,
    COMPLEX_X87,
    MEMORY
  }

  private static final int INTEGER_REGISTERS = 6;
  private static final int VECTOR_REGISTERS = 8;

  private SystemVClassifier() {}

  /** The call shape of a function of type {@code function}. */
  public static CallShape shape(CType.Function function) {
    CType result = function.result().resolved();
    Kind[] resultClasses = result instanceof CType.Void ? new Kind[0] : classify(result);
    boolean inMemory = resultClasses.length > 0 && resultClasses[0] == Kind.MEMORY;
    boolean onX87 = resultClasses.length > 0
        && (resultClasses[0] == Kind.X87 || resultClasses[0] == Kind.COMPLEX_X87);
    int integers = inMemory ? INTEGER_REGISTERS - 1 : INTEGER_REGISTERS;
    int vectors = VECTOR_REGISTERS;
    long stack = 0;
    for (CType parameter : function.parameters()) {
      CType type = parameter.resolved();
      Kind[] classes = classify(type);
      int needIntegers = (int) Arrays.stream(classes).filter(k -> k == Kind.INTEGER).count();
      int needVectors = (int) Arrays.stream(classes).filter(k -> k == Kind.SSE).count();
      boolean memory = classes.length > 0 && (classes[0] == Kind.MEMORY || classes[0] == Kind.X87
          || classes[0] == Kind.COMPLEX_X87);
      if (!memory && needIntegers <= integers && needVectors <= vectors) {
        integers -= needIntegers;
        vectors -= needVectors;
      } else if (classes.length > 0) {
        long alignment = type.alignment() > 8 ? 16 : 8;
        stack = (stack + alignment - 1) / alignment * alignment + (type.size() + 7) / 8 * 8;
      }
    }
    return new CallShape(function.parameters().size(), function.variadic(), (int) ((stack + 7) / 8 * 8),
        inMemory ? (int) result.size() : 0, onX87);
  }

  /**
   * How a result of {@code type} comes back: {@code void}, or the classes of its eightbytes joined
   * by {@code +} (INTEGER, SSE, X87, MEMORY, INTEGER+SSE, ...), upper halves counted with their
   * lower ones.
   */
  public static String resultClass(CType type) {
    CType resolved = type.resolved();
    Set<String> kinds = new LinkedHashSet<>();
    for (Kind kind : resolved instanceof CType.Void ? new Kind[0] : classify(resolved)) {
      kinds.add(switch (kind) {
        case SSEUP -> "SSE";
        case X87UP, COMPLEX_X87 -> "X87";
        default -> kind.name();
      });
    }
    return kinds.isEmpty() ? "void" : String.join("+", kinds);
  }

  /**
   * The classes of the eightbytes of a value of {@code type} (resolved), as the ABI's merge and
   * post-merge rules leave them; one MEMORY when it goes in memory, none for an empty aggregate.
   */
  static Kind[] classify(CType type) {
    long size = type.size();
    if (type instanceof CType.Pointer || type instanceof CType.Enum) {
      return new Kind[] {Kind.INTEGER};
    }
    if (type instanceof CType.Base base) {
      return scalar(base);
    }
    if (type instanceof CType.Record record && !record.complete()) {
      throw new IllegalArgumentException("a value of incomplete type " + record.spelling());
    }
    if (size > 16) {
      return new Kind[] {Kind.MEMORY};
    }
    if (size == 0) {
      return new Kind[0];
    }
    Kind[] classes = new Kind[(int) ((size + 7) / 8)];
    Arrays.fill(classes, Kind.NO_CLASS);
    if (!place(type, 0, classes)) {
      return new Kind[] {Kind.MEMORY};
    }
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] == Kind.MEMORY || classes[i] == Kind.X87UP && (i == 0 || classes[i - 1] != Kind.X87)) {
        return new Kind[] {Kind.MEMORY};
      }
      if (classes[i] == Kind.SSEUP && (i == 0 || classes[i - 1] != Kind.SSE && classes[i - 1] != Kind.SSEUP)) {
        classes[i] = Kind.SSE;
      }
    }
    return classes;
  }

  /**
   * Merges the classes of a value of {@code type} at {@code byteOffset} into {@code classes};
   * false when a member is not aligned (the aggregate then goes in memory).
   */
  private static boolean place(CType declared, long byteOffset, Kind[] classes) {
    CType type = declared.resolved();
    switch (type) {
      case CType.Record record -> {
        for (CType.Member member : record.members()) {
          CType memberType = member.type().resolved();
          if (member.bitSize() == 0 && (member.bitOffset() % 8 != 0
              || (member.bitOffset() / 8) % Math.max(1, memberType.alignment()) != 0)) {
            return false;
          }
          // A bit field is classified as its storage type, at the eightbyte holding its bits.
          long at = member.bitSize() == 0 ? member.bitOffset() / 8 : member.bitOffset() / 64 * 8;
          if (member.bitSize() > 0) {
            merge(classes, (byteOffset + at) / 8, integerOrSse(memberType));
          } else if (!place(memberType, byteOffset + at, classes)) {
            return false;
          }
        }
        return true;
      }
      case CType.Array array when !array.vector() -> {
        long elementSize = array.element().size();
        for (long i = 0; elementSize > 0 && i < array.count(); i++) {
          if (!place(array.element(), byteOffset + i * elementSize, classes)) {
            return false;
          }
        }
        return true;
      }
      case CType.Array vector -> {
        if (vector.size() > 16) {
          merge(classes, byteOffset / 8, Kind.MEMORY);
        } else {
          merge(classes, byteOffset / 8, Kind.SSE);
          if (vector.size() == 16) {
            merge(classes, byteOffset / 8 + 1, Kind.SSEUP);
          }
        }
        return true;
      }
      case CType.Base base -> {
        Kind[] own = scalar(base);
        for (int i = 0; i < own.length; i++) {
          merge(classes, byteOffset / 8 + i, own[i]);
        }
        return true;
      }
      default -> {
        merge(classes, byteOffset / 8, Kind.INTEGER);
        return true;
      }
    }
  }

  private static Kind integerOrSse(CType type) {
    return type instanceof CType.Base base && (base.isFloat() || base.isComplex()) ? Kind.SSE : Kind.INTEGER;
  }

  /** The classes of a base type's eightbytes. */
  private static Kind[] scalar(CType.Base base) {
    if (base.isComplex()) {
      return switch ((int) base.size()) {
        case 8 -> new Kind[] {Kind.SSE};
        case 16 -> new Kind[] {Kind.SSE, Kind.SSE};
        case 32 -> base.name().contains("long double") ? new Kind[] {Kind.COMPLEX_X87} : new Kind[] {Kind.MEMORY};
        default -> new Kind[] {Kind.MEMORY};
      };
    }
    if (base.isFloat()) {
      if (base.size() <= 8) {
        return new Kind[] {Kind.SSE};
      }
      return base.name().contains("long double") ? new Kind[] {Kind.X87, Kind.X87UP} : new Kind[] {Kind.SSE, Kind.SSEUP};
    }
    return base.size() > 8 ? new Kind[] {Kind.INTEGER, Kind.INTEGER} : new Kind[] {Kind.INTEGER};
  }

  /** The psABI's merge of two classes, into {@code classes[index]}. */
  private static void merge(Kind[] classes, long index, Kind added) {
    if (index >= classes.length) {
      return;
    }
    Kind present = classes[(int) index];
    Kind merged;
    if (present == added || added == Kind.NO_CLASS) {
      merged = present;
    } else if (present == Kind.NO_CLASS) {
      merged = added;
    } else if (present == Kind.MEMORY || added == Kind.MEMORY) {
      merged = Kind.MEMORY;
    } else if (present == Kind.INTEGER || added == Kind.INTEGER) {
      merged = Kind.INTEGER;
    } else if (isX87(present) || isX87(added)) {
      merged = Kind.MEMORY;
    } else {
      merged = Kind.SSE;
    }
    classes[(int) index] = merged;
  }

  private static boolean isX87(Kind kind) {
    return kind == Kind.X87 || kind == Kind.X87UP || kind == Kind.COMPLEX_X87;
  }
}
