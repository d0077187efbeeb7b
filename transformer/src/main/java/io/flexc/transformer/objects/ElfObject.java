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

  /** A section: its index, name and whether it holds code. */
  public record Section(int index, String name, boolean executable) {}

  /** A symbol; {@code section} is -1 when undefined, -2 for a common symbol. */
  public record Symbol(String name, Type type, boolean global, int section) {
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

  /** One patched place: in {@code section}, naming {@code symbol}, as a call/jump or not. */
  public record Relocation(int section, Symbol symbol, boolean isCall) {}

  static final int UNDEFINED = -1;
  static final int COMMON = -2;

  private static final int SHT_SYMTAB = 2;
  private static final int SHT_RELA = 4;
  private static final long SHF_EXECINSTR = 0x4;
  private static final int R_X86_64_PC32 = 2;
  private static final int R_X86_64_PLT32 = 4;

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
      sections.add(new Section(i, name, (headers[i][2] & SHF_EXECINSTR) != 0));
    }
    List<Symbol> symbols = new ArrayList<>();
    int symbolTable = -1;
    for (int i = 0; i < count; i++) {
      if (headers[i][1] == SHT_SYMTAB) {
        symbolTable = i;
        long strings = headers[(int) headers[i][5]][3];
        for (long at = headers[i][3]; at < headers[i][3] + headers[i][4]; at += 24) {
          symbols.add(symbol(elf, (int) at, strings));
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
        boolean isCall = executable && (type == R_X86_64_PLT32 || type == R_X86_64_PC32)
            && isBranch(elf, code + offset);
        relocations.add(new Relocation(target, symbol, isCall));
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

  private static Symbol symbol(ByteBuffer elf, int at, long strings) {
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
    return new Symbol(name, type, (info >> 4) != 0, section);
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
