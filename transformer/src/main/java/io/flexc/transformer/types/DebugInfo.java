package io.flexc.transformer.types;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the functions an x86-64 ELF relocatable object defines from its DWARF ({@code
 * .debug_info}, versions 2 to 5, as {@code gcc -g} writes it): each function's name, linkage and
 * type, with typedefs, qualifiers, structures (members and bit fields) and arrays, as the compiler
 * laid them out. Read directly, without binutils: the relocations the assembler left in {@code
 * .debug_info} (string offsets) are applied here. An object without DWARF defines no function
 * here; a form this reader does not know makes {@link #read} fail rather than guess.
 */
public final class DebugInfo {

  private static final int TAG_ARRAY = 0x01;
  private static final int TAG_ENUMERATION = 0x04;
  private static final int TAG_FORMAL_PARAMETER = 0x05;
  private static final int TAG_MEMBER = 0x0d;
  private static final int TAG_POINTER = 0x0f;
  private static final int TAG_STRUCTURE = 0x13;
  private static final int TAG_SUBROUTINE_TYPE = 0x15;
  private static final int TAG_TYPEDEF = 0x16;
  private static final int TAG_UNION = 0x17;
  private static final int TAG_UNSPECIFIED_PARAMETERS = 0x18;
  private static final int TAG_SUBRANGE = 0x21;
  private static final int TAG_BASE = 0x24;
  private static final int TAG_CONST = 0x26;
  private static final int TAG_SUBPROGRAM = 0x2e;
  private static final int TAG_VOLATILE = 0x35;
  private static final int TAG_RESTRICT = 0x37;
  private static final int TAG_UNSPECIFIED_TYPE = 0x3b;
  private static final int TAG_ATOMIC = 0x47;

  private static final int AT_NAME = 0x03;
  private static final int AT_BYTE_SIZE = 0x0b;
  private static final int AT_BIT_OFFSET = 0x0c;
  private static final int AT_BIT_SIZE = 0x0d;
  private static final int AT_PROTOTYPED = 0x27;
  private static final int AT_UPPER_BOUND = 0x2f;
  private static final int AT_ABSTRACT_ORIGIN = 0x31;
  private static final int AT_COUNT = 0x37;
  private static final int AT_DATA_MEMBER_LOCATION = 0x38;
  private static final int AT_DECLARATION = 0x3c;
  private static final int AT_ENCODING = 0x3e;
  private static final int AT_EXTERNAL = 0x3f;
  private static final int AT_SPECIFICATION = 0x47;
  private static final int AT_TYPE = 0x49;
  private static final int AT_DATA_BIT_OFFSET = 0x6b;
  private static final int AT_ALIGNMENT = 0x88;
  private static final int AT_GNU_VECTOR = 0x2107;

  private static final int R_X86_64_64 = 1;
  private static final int R_X86_64_32 = 10;

  /** One debugging information entry: its tag, attributes and children, by offset in .debug_info. */
  private record Entry(int tag, Map<Integer, Object> attributes, List<Long> children) {

    Object get(int attribute) {
      return attributes.get(attribute);
    }

    long number(int attribute, long otherwise) {
      return attributes.get(attribute) instanceof Long value ? value : otherwise;
    }

    boolean flag(int attribute) {
      return attributes.get(attribute) instanceof Long value && value != 0;
    }

    String name() {
      return attributes.get(AT_NAME) instanceof String name ? name : "";
    }
  }

  /** A reference to another entry (already made absolute), as opposed to a constant. */
  private record Reference(long offset) {}

  private final Map<Long, Entry> entries = new HashMap<>();
  private final Map<Long, CType> types = new HashMap<>();
  private final Map<Long, CType> names = new HashMap<>();

  private DebugInfo() {}

  /** The functions {@code object} defines, in the order its DWARF lists them. */
  public static List<CompiledFunction> read(Path object) throws IOException {
    ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(object)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      return new DebugInfo().functions(elf);
    } catch (RuntimeException e) {
      throw new IOException(object + ": unreadable DWARF (" + e.getMessage() + ")", e);
    }
  }

  private List<CompiledFunction> functions(ByteBuffer elf) throws IOException {
    if (elf.limit() < 64 || elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
      throw new IOException("not a 64-bit little-endian ELF object");
    }
    Map<String, long[]> sections = sections(elf);
    if (!sections.containsKey(".debug_info")) {
      return List.of();
    }
    ByteBuffer info = relocated(elf, sections, ".debug_info");
    ByteBuffer abbrev = slice(elf, sections.get(".debug_abbrev"));
    ByteBuffer strings = slice(elf, sections.get(".debug_str"));
    ByteBuffer lineStrings = slice(elf, sections.get(".debug_line_str"));
    List<Long> roots = new ArrayList<>();
    int unit = 0;
    while (unit + 11 <= info.limit()) {
      long length = Integer.toUnsignedLong(info.getInt(unit));
      if (length >= 0xfffffff0L) {
        throw new IllegalStateException("64-bit DWARF is not read");
      }
      int version = Short.toUnsignedInt(info.getShort(unit + 4));
      int at = unit + 6;
      long abbrevOffset;
      if (version >= 5) {
        int unitType = Byte.toUnsignedInt(info.get(at));
        abbrevOffset = Integer.toUnsignedLong(info.getInt(at + 2));
        at += 6;
        if (unitType != 1) {
          unit += (int) length + 4;
          continue;
        }
      } else if (version >= 2) {
        abbrevOffset = Integer.toUnsignedLong(info.getInt(at));
        at += 5;
      } else {
        throw new IllegalStateException("DWARF version " + version);
      }
      Map<Long, Abbreviation> abbreviations = abbreviations(abbrev, (int) abbrevOffset);
      Cursor cursor = new Cursor(info, at, unit, version, strings, lineStrings);
      roots.add(readTree(cursor, abbreviations, unit + 4 + (int) length));
      unit += (int) length + 4;
    }
    List<CompiledFunction> functions = new ArrayList<>();
    for (long root : roots) {
      for (long child : entries.get(root).children()) {
        Entry entry = entries.get(child);
        if (entry.tag() == TAG_SUBPROGRAM && !entry.name().isEmpty() && !entry.flag(AT_DECLARATION)
            && entry.get(AT_ABSTRACT_ORIGIN) == null && entry.get(AT_SPECIFICATION) == null) {
          functions.add(function(entry));
        }
      }
    }
    return functions;
  }

  private CompiledFunction function(Entry entry) {
    List<CType> parameters = new ArrayList<>();
    List<String> parameterNames = new ArrayList<>();
    boolean variadic = false;
    for (long child : entry.children()) {
      Entry parameter = entries.get(child);
      if (parameter.tag() == TAG_FORMAL_PARAMETER) {
        parameters.add(type(parameter.get(AT_TYPE), false));
        parameterNames.add(parameter.name().isEmpty() ? null : parameter.name());
      } else if (parameter.tag() == TAG_UNSPECIFIED_PARAMETERS) {
        variadic = true;
      }
    }
    CType.Function type = new CType.Function(type(entry.get(AT_TYPE), false), parameters, variadic,
        entry.flag(AT_PROTOTYPED));
    return new CompiledFunction(entry.name(), entry.flag(AT_EXTERNAL), type, parameterNames);
  }

  /** The type an attribute refers to; {@code void} when absent. Behind a pointer, names only. */
  private CType type(Object reference, boolean byName) {
    if (!(reference instanceof Reference ref)) {
      return new CType.Void();
    }
    Map<Long, CType> cache = byName ? names : types;
    CType cached = cache.get(ref.offset());
    if (cached != null) {
      return cached;
    }
    CType type = build(entries.get(ref.offset()), byName);
    cache.put(ref.offset(), type);
    return type;
  }

  private CType build(Entry entry, boolean byName) {
    if (entry == null) {
      throw new IllegalStateException("a type reference leads nowhere");
    }
    return switch (entry.tag()) {
      case TAG_BASE -> new CType.Base(entry.name(), entry.number(AT_BYTE_SIZE, 0), (int) entry.number(AT_ENCODING, 0));
      case TAG_UNSPECIFIED_TYPE -> new CType.Void();
      case TAG_POINTER -> new CType.Pointer(type(entry.get(AT_TYPE), true));
      case TAG_CONST -> new CType.Qualified("const", type(entry.get(AT_TYPE), byName));
      case TAG_VOLATILE -> new CType.Qualified("volatile", type(entry.get(AT_TYPE), byName));
      case TAG_RESTRICT -> new CType.Qualified("restrict", type(entry.get(AT_TYPE), byName));
      case TAG_ATOMIC -> new CType.Qualified("_Atomic", type(entry.get(AT_TYPE), byName));
      case TAG_TYPEDEF -> new CType.Typedef(entry.name(),
          byName ? new CType.Named(entry.name()) : type(entry.get(AT_TYPE), false));
      case TAG_ENUMERATION -> new CType.Enum(entry.name(), entry.number(AT_BYTE_SIZE, 4));
      case TAG_STRUCTURE, TAG_UNION -> record(entry, byName);
      case TAG_ARRAY -> array(entry, byName);
      case TAG_SUBROUTINE_TYPE -> {
        List<CType> parameters = new ArrayList<>();
        boolean variadic = false;
        for (long child : entry.children()) {
          Entry parameter = entries.get(child);
          if (parameter.tag() == TAG_FORMAL_PARAMETER) {
            parameters.add(type(parameter.get(AT_TYPE), true));
          } else if (parameter.tag() == TAG_UNSPECIFIED_PARAMETERS) {
            variadic = true;
          }
        }
        yield new CType.Function(type(entry.get(AT_TYPE), true), parameters, variadic, entry.flag(AT_PROTOTYPED));
      }
      default -> throw new IllegalStateException("type tag 0x" + Integer.toHexString(entry.tag()));
    };
  }

  private CType record(Entry entry, boolean byName) {
    boolean union = entry.tag() == TAG_UNION;
    if (byName && !entry.name().isEmpty()) {
      return new CType.Named((union ? "union " : "struct ") + entry.name());
    }
    long size = entry.number(AT_BYTE_SIZE, 0);
    List<CType.Member> members = new ArrayList<>();
    long alignment = 1;
    boolean packed = false;
    for (long child : entry.children()) {
      Entry member = entries.get(child);
      if (member.tag() != TAG_MEMBER) {
        continue;
      }
      CType type = type(member.get(AT_TYPE), false);
      long bitSize = member.number(AT_BIT_SIZE, 0);
      long bitOffset;
      if (member.get(AT_DATA_BIT_OFFSET) instanceof Long bits) {
        bitOffset = bits;
      } else if (bitSize > 0 && member.get(AT_BIT_OFFSET) instanceof Long bigEndianBits) {
        // DWARF 2/3: bits from the most significant end of a storage unit of the type's size.
        long storage = member.number(AT_BYTE_SIZE, type.size());
        bitOffset = member.number(AT_DATA_MEMBER_LOCATION, 0) * 8 + storage * 8 - bigEndianBits - bitSize;
      } else {
        bitOffset = member.number(AT_DATA_MEMBER_LOCATION, 0) * 8;
      }
      members.add(new CType.Member(bitOffset, bitSize, type));
      alignment = Math.max(alignment, type.alignment());
      packed |= bitSize == 0 && (bitOffset / 8) % Math.max(1, type.alignment()) != 0;
    }
    if (packed) {
      alignment = 1;
    }
    alignment = entry.number(AT_ALIGNMENT, alignment);
    return new CType.Record(union, entry.name(), size, alignment, members, !entry.flag(AT_DECLARATION));
  }

  private CType array(Entry entry, boolean byName) {
    CType element = type(entry.get(AT_TYPE), byName);
    long count = -1;
    for (long child : entry.children()) {
      Entry range = entries.get(child);
      if (range.tag() == TAG_SUBRANGE) {
        long dimension = range.get(AT_COUNT) instanceof Long c ? c
            : range.get(AT_UPPER_BOUND) instanceof Long upper ? upper + 1 : -1;
        count = count < 0 ? dimension : dimension < 0 ? -1 : count * dimension;
      }
    }
    long size = entry.number(AT_BYTE_SIZE, count < 0 ? 0 : count * element.size());
    return new CType.Array(element, count, entry.get(AT_GNU_VECTOR) != null, size);
  }

  // ---- reading ----

  private record Abbreviation(int tag, boolean children, int[] attributes, int[] forms, long[] constants) {}

  private static Map<Long, Abbreviation> abbreviations(ByteBuffer abbrev, int offset) {
    Map<Long, Abbreviation> abbreviations = new HashMap<>();
    Cursor cursor = new Cursor(abbrev, offset, 0, 0, null, null);
    while (true) {
      long code = cursor.uleb();
      if (code == 0) {
        return abbreviations;
      }
      int tag = (int) cursor.uleb();
      boolean children = cursor.u1() != 0;
      List<long[]> specs = new ArrayList<>();
      while (true) {
        long attribute = cursor.uleb();
        long form = cursor.uleb();
        if (attribute == 0 && form == 0) {
          break;
        }
        long constant = form == 0x21 ? cursor.sleb() : 0;
        specs.add(new long[] {attribute, form, constant});
      }
      int[] attributes = new int[specs.size()];
      int[] forms = new int[specs.size()];
      long[] constants = new long[specs.size()];
      for (int i = 0; i < specs.size(); i++) {
        attributes[i] = (int) specs.get(i)[0];
        forms[i] = (int) specs.get(i)[1];
        constants[i] = specs.get(i)[2];
      }
      abbreviations.put(code, new Abbreviation(tag, children, attributes, forms, constants));
    }
  }

  /** Reads the entries of one unit into {@link #entries}; returns the offset of its first. */
  private long readTree(Cursor cursor, Map<Long, Abbreviation> abbreviations, int end) {
    List<List<Long>> parents = new ArrayList<>();
    long root = -1;
    while (cursor.at < end) {
      long offset = cursor.at;
      long code = cursor.uleb();
      if (code == 0) {
        if (!parents.isEmpty()) {
          parents.remove(parents.size() - 1);
        }
        continue;
      }
      Abbreviation abbreviation = abbreviations.get(code);
      if (abbreviation == null) {
        throw new IllegalStateException("abbreviation " + code + " at 0x" + Long.toHexString(offset));
      }
      Map<Integer, Object> attributes = new HashMap<>();
      for (int i = 0; i < abbreviation.attributes().length; i++) {
        Object value = cursor.value(abbreviation.forms()[i], abbreviation.constants()[i]);
        if (value != null) {
          attributes.put(abbreviation.attributes()[i], value);
        }
      }
      Entry entry = new Entry(abbreviation.tag(), attributes, new ArrayList<>());
      entries.put(offset, entry);
      if (root < 0) {
        root = offset;
      }
      if (!parents.isEmpty()) {
        parents.get(parents.size() - 1).add(offset);
      }
      if (abbreviation.children()) {
        parents.add(entry.children());
      }
    }
    return root;
  }

  /** A position in a section, reading DWARF's encodings. */
  private static final class Cursor {
    private final ByteBuffer data;
    private final int unit;
    private final int version;
    private final ByteBuffer strings;
    private final ByteBuffer lineStrings;
    int at;

    Cursor(ByteBuffer data, int at, int unit, int version, ByteBuffer strings, ByteBuffer lineStrings) {
      this.data = data;
      this.at = at;
      this.unit = unit;
      this.version = version;
      this.strings = strings;
      this.lineStrings = lineStrings;
    }

    int u1() {
      return Byte.toUnsignedInt(data.get(at++));
    }

    long fixed(int bytes) {
      long value = 0;
      for (int i = 0; i < bytes; i++) {
        value |= (long) Byte.toUnsignedInt(data.get(at + i)) << (8 * i);
      }
      at += bytes;
      return value;
    }

    long uleb() {
      long value = 0;
      int shift = 0;
      while (true) {
        int b = u1();
        if (shift < 64) {
          value |= (long) (b & 0x7f) << shift;
        }
        shift += 7;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
    }

    long sleb() {
      long value = 0;
      int shift = 0;
      int b;
      do {
        b = u1();
        if (shift < 64) {
          value |= (long) (b & 0x7f) << shift;
        }
        shift += 7;
      } while ((b & 0x80) != 0);
      if (shift < 64 && (b & 0x40) != 0) {
        value |= -1L << shift;
      }
      return value;
    }

    /**
     * One attribute's value: a Long for constants and flags, a String for names, a Reference for
     * references within the unit, null for what this reader does not need (addresses, blocks).
     */
    Object value(int form, long constant) {
      return switch (form) {
        case 0x01 -> skip(8); // addr
        case 0x03 -> skip((int) fixed(2)); // block2
        case 0x04 -> skip((int) fixed(4)); // block4
        case 0x05 -> fixed(2); // data2
        case 0x06 -> fixed(4); // data4
        case 0x07 -> fixed(8); // data8
        case 0x08 -> inlineString(); // string
        case 0x09, 0x18 -> location((int) uleb()); // block, exprloc
        case 0x0a -> location(u1()); // block1
        case 0x0b -> fixed(1); // data1
        case 0x0c -> fixed(1); // flag
        case 0x0d -> sleb(); // sdata
        case 0x0e -> string(strings, fixed(4)); // strp
        case 0x0f -> uleb(); // udata
        case 0x10 -> new Reference(fixed(version <= 2 ? 8 : 4)); // ref_addr
        case 0x11 -> new Reference(unit + fixed(1));
        case 0x12 -> new Reference(unit + fixed(2));
        case 0x13 -> new Reference(unit + fixed(4));
        case 0x14 -> new Reference(unit + fixed(8));
        case 0x15 -> new Reference(unit + uleb());
        case 0x16 -> value((int) uleb(), constant); // indirect
        case 0x17 -> skip(4); // sec_offset
        case 0x19 -> 1L; // flag_present
        case 0x1e -> skip(16); // data16
        case 0x1f -> string(lineStrings, fixed(4)); // line_strp
        case 0x20 -> skip(8); // ref_sig8
        case 0x21 -> constant; // implicit_const
        case 0x1b, 0x22, 0x23 -> skipUleb(); // addrx, loclistx, rnglistx
        case 0x29 -> skip(1); // addrx1
        case 0x2a -> skip(2);
        case 0x2b -> skip(3);
        case 0x2c -> skip(4);
        default -> throw new IllegalStateException("DWARF form 0x" + Integer.toHexString(form));
      };
    }

    private Object skip(int bytes) {
      at += bytes;
      return null;
    }

    private Object skipUleb() {
      uleb();
      return null;
    }

    /** A member location written as an expression: {@code DW_OP_plus_uconst N} gives N. */
    private Object location(int length) {
      int start = at;
      at += length;
      if (length > 1 && Byte.toUnsignedInt(data.get(start)) == 0x23) {
        Cursor operand = new Cursor(data, start + 1, unit, version, strings, lineStrings);
        return operand.uleb();
      }
      return null;
    }

    private String inlineString() {
      int start = at;
      while (data.get(at) != 0) {
        at++;
      }
      byte[] bytes = new byte[at - start];
      data.get(start, bytes);
      at++;
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer section, long offset) {
      if (section == null) {
        throw new IllegalStateException("a string section is missing");
      }
      int end = (int) offset;
      while (section.get(end) != 0) {
        end++;
      }
      byte[] bytes = new byte[end - (int) offset];
      section.get((int) offset, bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  // ---- ELF ----

  /** Each section by name: {offset, size, index}, and {@code .rela} sections too. */
  private static Map<String, long[]> sections(ByteBuffer elf) {
    long table = elf.getLong(0x28);
    int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
    int count = Short.toUnsignedInt(elf.getShort(0x3c));
    int namesIndex = Short.toUnsignedInt(elf.getShort(0x3e));
    long namesOffset = elf.getLong((int) (table + (long) namesIndex * entrySize) + 0x18);
    Map<String, long[]> sections = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int at = (int) (table + (long) i * entrySize);
      String name = Cursor.string(elf, namesOffset + Integer.toUnsignedLong(elf.getInt(at)));
      long type = Integer.toUnsignedLong(elf.getInt(at + 4));
      long link = Integer.toUnsignedLong(elf.getInt(at + 0x28));
      sections.put(name, new long[] {elf.getLong(at + 0x18), elf.getLong(at + 0x20), i, type, link,
          Integer.toUnsignedLong(elf.getInt(at + 0x2c))});
      if (type == 2) {
        sections.put("\0symtab", sections.get(name));
      }
    }
    return sections;
  }

  private static ByteBuffer slice(ByteBuffer elf, long[] section) {
    if (section == null) {
      return null;
    }
    byte[] bytes = new byte[(int) section[1]];
    elf.get((int) section[0], bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A copy of section {@code name} with the relocations of its {@code .rela} section applied
   * (symbol value plus addend): in an object, offsets into the string sections are relocations.
   */
  private static ByteBuffer relocated(ByteBuffer elf, Map<String, long[]> sections, String name) {
    ByteBuffer section = slice(elf, sections.get(name));
    long[] rela = null;
    for (long[] candidate : sections.values()) {
      if (candidate[3] == 4 && candidate[5] == sections.get(name)[2]) {
        rela = candidate;
      }
    }
    if (rela == null) {
      return section;
    }
    long[] symtab = sections.get("\0symtab");
    for (long at = rela[0]; at < rela[0] + rela[1]; at += 24) {
      int offset = (int) elf.getLong((int) at);
      long info = elf.getLong((int) at + 8);
      long addend = elf.getLong((int) at + 16);
      long symbolValue = symtab == null ? 0 : elf.getLong((int) (symtab[0] + (info >>> 32) * 24 + 8));
      int type = (int) info;
      if (type == R_X86_64_32) {
        section.putInt(offset, (int) (symbolValue + addend));
      } else if (type == R_X86_64_64) {
        section.putLong(offset, symbolValue + addend);
      }
    }
    return section;
  }
}
