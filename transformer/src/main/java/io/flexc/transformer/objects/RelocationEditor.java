package io.flexc.transformer.objects;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Points chosen relocations of an x86-64 ELF object at other symbols, adding the symbols it lacks
 * as globals. {@code objcopy --redefine-sym} renames a symbol for every place that names it; this
 * moves single places, so that an object can take a function's address through one symbol and
 * call it directly through another. New symbols go at the end of the symbol table (after the
 * locals, as ELF requires), so every existing index stays valid; the grown symbol and string
 * tables are appended to the file and their section headers pointed at them.
 */
public final class RelocationEditor {

  /** A global symbol to add: undefined when {@code section} is negative, else at {@code value} there (a function). */
  public record NewSymbol(String name, int section, long value) {
    public static NewSymbol undefined(String name) {
      return new NewSymbol(name, -1, 0);
    }
  }

  /** Makes {@code relocation} name {@code symbol} with {@code addend}. */
  public record Retarget(ElfObject.Relocation relocation, String symbol, long addend) {}

  private static final int SHT_SYMTAB = 2;
  private static final int SYMBOL_SIZE = 24;
  private static final int STB_GLOBAL = 1;
  private static final int STT_FUNC = 2;

  private RelocationEditor() {}

  /** Adds {@code symbols} (those not yet in the table) and applies {@code retargets} to {@code object}. */
  public static void apply(Path object, List<NewSymbol> symbols, List<Retarget> retargets) throws IOException {
    if (symbols.isEmpty() && retargets.isEmpty()) {
      return;
    }
    byte[] original = Files.readAllBytes(object);
    ByteBuffer elf = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
    long sectionTable = elf.getLong(0x28);
    int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
    int count = Short.toUnsignedInt(elf.getShort(0x3c));
    int symbolTable = -1;
    for (int i = 0; i < count; i++) {
      if (elf.getInt((int) (sectionTable + (long) i * entrySize) + 4) == SHT_SYMTAB) {
        symbolTable = i;
      }
    }
    if (symbolTable < 0) {
      throw new IOException(object + ": no symbol table");
    }
    int symbolHeader = (int) (sectionTable + (long) symbolTable * entrySize);
    int stringHeader = (int) (sectionTable + (long) elf.getInt(symbolHeader + 0x28) * entrySize);
    long symbolsAt = elf.getLong(symbolHeader + 0x18);
    long symbolsSize = elf.getLong(symbolHeader + 0x20);
    long stringsAt = elf.getLong(stringHeader + 0x18);
    long stringsSize = elf.getLong(stringHeader + 0x20);

    Map<String, Integer> indexes = new HashMap<>();
    int existing = (int) (symbolsSize / SYMBOL_SIZE);
    for (int i = 0; i < existing; i++) {
      int at = (int) (symbolsAt + (long) i * SYMBOL_SIZE);
      int binding = Byte.toUnsignedInt(elf.get(at + 4)) >> 4;
      if (binding != 0) {
        indexes.putIfAbsent(string(elf, stringsAt + Integer.toUnsignedLong(elf.getInt(at))), i);
      }
    }
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    strings.write(original, (int) stringsAt, (int) stringsSize);
    ByteArrayOutputStream added = new ByteArrayOutputStream();
    int next = existing;
    for (NewSymbol symbol : symbols) {
      if (indexes.containsKey(symbol.name())) {
        continue;
      }
      ByteBuffer entry = ByteBuffer.allocate(SYMBOL_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      entry.putInt(strings.size());
      boolean defined = symbol.section() >= 0;
      entry.put((byte) ((STB_GLOBAL << 4) | (defined ? STT_FUNC : 0)));
      entry.put((byte) 0);
      entry.putShort((short) (defined ? symbol.section() : 0));
      entry.putLong(defined ? symbol.value() : 0);
      entry.putLong(0);
      added.write(entry.array());
      strings.write(symbol.name().getBytes(StandardCharsets.UTF_8));
      strings.write(0);
      indexes.put(symbol.name(), next++);
    }

    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(original);
    pad(file);
    long newStringsAt = file.size();
    file.write(strings.toByteArray());
    pad(file);
    long newSymbolsAt = file.size();
    file.write(original, (int) symbolsAt, (int) symbolsSize);
    file.write(added.toByteArray());
    ByteBuffer result = ByteBuffer.wrap(file.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    result.putLong(stringHeader + 0x18, newStringsAt);
    result.putLong(stringHeader + 0x20, strings.size());
    result.putLong(symbolHeader + 0x18, newSymbolsAt);
    result.putLong(symbolHeader + 0x20, symbolsSize + added.size());
    for (Retarget retarget : retargets) {
      Integer index = indexes.get(retarget.symbol());
      if (index == null) {
        throw new IllegalArgumentException(retarget.symbol() + " is neither in " + object + " nor added to it");
      }
      int at = (int) retarget.relocation().entry();
      result.putLong(at + 8, ((long) index << 32) | Integer.toUnsignedLong(retarget.relocation().type()));
      result.putLong(at + 16, retarget.addend());
    }
    Files.write(object, result.array());
  }

  private static void pad(ByteArrayOutputStream file) {
    while (file.size() % 8 != 0) {
      file.write(0);
    }
  }

  private static String string(ByteBuffer elf, long at) {
    int end = (int) at;
    while (elf.get(end) != 0) {
      end++;
    }
    return new String(elf.array(), (int) at, end - (int) at, StandardCharsets.UTF_8);
  }
}
