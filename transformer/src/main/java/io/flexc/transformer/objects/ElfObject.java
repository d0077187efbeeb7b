package io.flexc.transformer.objects;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an x86-64 ELF relocatable object that tell who references whom: its symbols and,
 * for every relocation, the section it patches, the symbol it names and whether the patched
 * instruction is a call or jump (the byte before a {@code rel32} is {@code e8}/{@code e9}, or a
 * conditional jump's {@code 0f 8x}) or takes an address. Read directly, without binutils, because
 * it is read for every object of every build.
 */
public record ElfObject(Path path, List<Section> sections, List<Symbol> symbols, List<Relocation> relocations) {

  /** A section: its index, name, whether it holds code and whether it is loaded with the program. */
  public record Section(int index, String name, boolean executable, boolean allocated) {}

  /**
   * A symbol: {@code index} in the symbol table, {@code section} -1 when undefined, -2 for a
   * common symbol, {@code value} its offset in its section.
   */
  public record Symbol(int index, String name, Type type, boolean global, int section, long value) {
    public boolean isDefined() {
      return section >= 0 || section == COMMON;
    }
  }

  /** What a symbol names. */
  public enum Type {
    FUNCTION,
    DATA,
    SECTION,
    OTHER
  }

  /**
   * One patched place: in {@code section}, naming {@code symbol} plus {@code addend}, as a
   * call/jump or not; {@code entry} is where its entry is in the file, {@code type} its
   * x86-64 relocation type.
   */
  public record Relocation(int section, Symbol symbol, boolean isCall, int type, long addend, long entry) {

    /**
     * Whether the patched value is relative to the place: in code, the addend then also holds the
     * distance from the field to the end of its instruction (-4 for a {@code lea} or {@code mov}).
     */
    public boolean isPcRelative() {
      return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_GOTPCREL
          || type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
    }
  }

  static final int UNDEFINED = -1;
  static final int COMMON = -2;

  private static final int SHT_SYMTAB = 2;
  private static final int SHT_RELA = 4;
  private static final long SHF_EXECINSTR = 0x4;
  private static final int R_X86_64_PC32 = 2;
  private static final int R_X86_64_PLT32 = 4;
  private static final int R_X86_64_GOTPCREL = 9;
  private static final int R_X86_64_GOTPCRELX = 41;
  private static final int R_X86_64_REX_GOTPCRELX = 42;
  private static final long SHF_ALLOC = 0x2;

  public static ElfObject read(Path path) throws IOException {
    ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    if (elf.limit() < 64 || elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
      throw new IOException(path + ": not a 64-bit little-endian ELF object");
    }
    long sectionTable = elf.getLong(0x28);
    int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
    int count = Short.toUnsignedInt(elf.getShort(0x3c));
    int namesIndex = Short.toUnsignedInt(elf.getShort(0x3e));
    long[][] headers = new long[count][];
    for (int i = 0; i < count; i++) {
      int at = (int) (sectionTable + (long) i * entrySize);
      headers[i] = new long[] {
        Integer.toUnsignedLong(elf.getInt(at)), // name
        Integer.toUnsignedLong(elf.getInt(at + 4)), // type
        elf.getLong(at + 8), // flags
        elf.getLong(at + 0x18), // offset
        elf.getLong(at + 0x20), // size
        Integer.toUnsignedLong(elf.getInt(at + 0x28)), // link
        Integer.toUnsignedLong(elf.getInt(at + 0x2c)), // info
      };
    }
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = string(elf, headers[namesIndex][3] + headers[i][0]);
      sections.add(new Section(i, name, (headers[i][2] & SHF_EXECINSTR) != 0, (headers[i][2] & SHF_ALLOC) != 0));
    }
    List<Symbol> symbols = new ArrayList<>();
    int symbolTable = -1;
    for (int i = 0; i < count; i++) {
      if (headers[i][1] == SHT_SYMTAB) {
        symbolTable = i;
        long strings = headers[(int) headers[i][5]][3];
        for (long at = headers[i][3]; at < headers[i][3] + headers[i][4]; at += 24) {
          symbols.add(symbol(elf, symbols.size(), (int) at, strings));
        }
      }
    }
    List<Relocation> relocations = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (headers[i][1] != SHT_RELA || headers[i][5] != symbolTable) {
        continue;
      }
      int target = (int) headers[i][6];
      long code = headers[target][3];
      boolean executable = sections.get(target).executable();
      for (long at = headers[i][3]; at < headers[i][3] + headers[i][4]; at += 24) {
        long offset = elf.getLong((int) at);
        long info = elf.getLong((int) at + 8);
        int type = (int) info;
        Symbol symbol = symbols.get((int) (info >>> 32));
        boolean isCall = executable && (((type == R_X86_64_PLT32 || type == R_X86_64_PC32)
            && isBranch(elf, code + offset)) || (isGotLoad(type) && isIndirectBranch(elf, code + offset)));
        relocations.add(new Relocation(target, symbol, isCall, type, elf.getLong((int) at + 16), at));
      }
    }
    return new ElfObject(path, List.copyOf(sections), List.copyOf(symbols), List.copyOf(relocations));
  }

  private static boolean isBranch(ByteBuffer elf, long at) {
    int opcode = Byte.toUnsignedInt(elf.get((int) at - 1));
    if (opcode == 0xe8 || opcode == 0xe9) {
      return true;
    }
    return at >= 2 && Byte.toUnsignedInt(elf.get((int) at - 2)) == 0x0f && (opcode & 0xf0) == 0x80;
  }

  private static boolean isGotLoad(int type) {
    return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
  }

  /** {@code call *f@GOTPCREL(%rip)} or {@code jmp *f@GOTPCREL(%rip)} ({@code -fno-plt}): a call. */
  private static boolean isIndirectBranch(ByteBuffer elf, long at) {
    int modrm = Byte.toUnsignedInt(elf.get((int) at - 1));
    return at >= 2 && Byte.toUnsignedInt(elf.get((int) at - 2)) == 0xff && (modrm == 0x15 || modrm == 0x25);
  }

  private static Symbol symbol(ByteBuffer elf, int number, int at, long strings) {
    String name = string(elf, strings + Integer.toUnsignedLong(elf.getInt(at)));
    int info = Byte.toUnsignedInt(elf.get(at + 4));
    int index = Short.toUnsignedInt(elf.getShort(at + 6));
    Type type = switch (info & 0xf) {
      case 1 -> Type.DATA;
      case 2 -> Type.FUNCTION;
      case 3 -> Type.SECTION;
      default -> Type.OTHER;
    };
    int section = index == 0 ? UNDEFINED : index == 0xfff2 ? COMMON : index >= 0xff00 ? UNDEFINED - 2 : index;
    if (section == COMMON) {
      type = Type.DATA;
    }
    return new Symbol(number, name, type, (info >> 4) != 0, section, elf.getLong(at + 8));
  }

  private static String string(ByteBuffer elf, long at) {
    int start = (int) at;
    int end = start;
    while (elf.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    elf.get(start, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The function or data symbol a section was made for ({@code -ffunction-sections}). */
  public Optional<Symbol> ownerOf(int section) {
    return symbols.stream()
        .filter(s -> s.section() == section && (s.type() == Type.FUNCTION || s.type() == Type.DATA))
        .findFirst();
  }
}
