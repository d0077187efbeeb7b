package io.flexc.backends;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a linked mpk program the way ERIM does: the gates' checks are worth something only if
 * every {@code wrpkru} in the program's executable bytes is one of them, followed by a comparison
 * of the value written with a compartment's PKRU value and a jump to {@code flexc_mpk_violation}
 * when it differs. Any other occurrence of the instruction's bytes, an instruction of its own or
 * the middle of another one, is a gadget that sets PKRU to whatever a compromised compartment puts
 * in eax. {@code xrstor} can restore PKRU too (when eax asks for its state component); it is
 * listed, not refused, since the C library's lazy-binding resolver has one in every program.
 */
public final class PkruWriteScan {

  /** Where in the program, in which function, and what was found there. */
  public record Finding(long address, String function, String what) {
    /** The address, and the function with the offset into it. */
    public String where() {
      return String.format("0x%x (%s)", address, function);
    }

    @Override
    public String toString() {
      return where() + ": " + what;
    }
  }

  /**
   * How many PKRU writes are checked, the unchecked ones (which make the program unsafe) and the
   * xrstor instructions.
   */
  public record Result(int checkedWrites, List<Finding> uncheckedWrites, List<Finding> restores) {
    public Result {
      uncheckedWrites = List.copyOf(uncheckedWrites);
      restores = List.copyOf(restores);
    }
  }

  private static final int PT_LOAD = 1;
  private static final int PF_X = 1;
  private static final String VIOLATION = "flexc_mpk_violation";

  private PkruWriteScan() {}

  /** Scans {@code program} (an x86-64 ELF file) for PKRU writes other than checks against {@code pkruValues}. */
  public static Result scan(Path program, Set<Long> pkruValues) throws IOException, InterruptedException {
    TreeMap<Long, String> functions = functions(program);
    Long violation = functions.entrySet().stream().filter(e -> e.getValue().equals(VIOLATION)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
    ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(program)).order(ByteOrder.LITTLE_ENDIAN);
    List<Finding> unchecked = new ArrayList<>();
    List<Finding> restores = new ArrayList<>();
    int checked = 0;
    long headers = elf.getLong(0x20);
    int headerSize = Short.toUnsignedInt(elf.getShort(0x36));
    int count = Short.toUnsignedInt(elf.getShort(0x38));
    for (int i = 0; i < count; i++) {
      int header = (int) (headers + (long) i * headerSize);
      if (elf.getInt(header) != PT_LOAD || (elf.getInt(header + 4) & PF_X) == 0) {
        continue;
      }
      int offset = (int) elf.getLong(header + 8);
      long address = elf.getLong(header + 16);
      int size = (int) elf.getLong(header + 32);
      for (int at = offset; at + 2 < offset + size; at++) {
        long where = address + (at - offset);
        if (byteAt(elf, at) == 0x0f && byteAt(elf, at + 1) == 0x01 && byteAt(elf, at + 2) == 0xef) {
          String problem = checkAfter(elf, at + 3, offset + size, where + 3, pkruValues, violation);
          if (problem != null) {
            unchecked.add(new Finding(where, functionAt(functions, where), problem));
          } else {
            checked++;
          }
        } else if (byteAt(elf, at) == 0x0f && byteAt(elf, at + 1) == 0xae && isXrstor(byteAt(elf, at + 2))) {
          restores.add(new Finding(where, functionAt(functions, where), "xrstor, which can restore PKRU"));
        }
      }
    }
    return new Result(checked, unchecked, restores);
  }

  /**
   * Why the bytes after a wrpkru are not the check ({@code cmp $value, %eax; jne
   * flexc_mpk_violation}, short or long forms), or null when they are.
   */
  private static String checkAfter(ByteBuffer elf, int at, int end, long address, Set<Long> pkruValues,
      Long violation) {
    long value;
    int next;
    if (at + 3 <= end && byteAt(elf, at) == 0x83 && byteAt(elf, at + 1) == 0xf8) {
      value = Integer.toUnsignedLong(elf.get(at + 2));
      next = at + 3;
    } else if (at + 5 <= end && byteAt(elf, at) == 0x3d) {
      value = Integer.toUnsignedLong(elf.getInt(at + 1));
      next = at + 5;
    } else {
      return "a wrpkru not followed by a comparison of eax: it writes any value a jump to it brings";
    }
    if (!pkruValues.contains(value)) {
      return String.format("a wrpkru checked against 0x%x, which is no compartment's PKRU value", value);
    }
    long after = address + (next - at);
    long target;
    if (next + 2 <= end && byteAt(elf, next) == 0x75) {
      target = after + 2 + elf.get(next + 1);
    } else if (next + 6 <= end && byteAt(elf, next) == 0x0f && byteAt(elf, next + 1) == 0x85) {
      target = after + 6 + elf.getInt(next + 2);
    } else {
      return "a wrpkru whose comparison is not followed by a jump when the value differs";
    }
    if (violation == null || target != violation) {
      return String.format("a wrpkru whose check jumps to 0x%x instead of %s", target, VIOLATION);
    }
    return null;
  }

  /** Whether a ModRM byte after 0f ae makes xrstor: register field 5, a memory operand. */
  private static boolean isXrstor(int modrm) {
    return ((modrm >> 3) & 7) == 5 && (modrm >> 6) != 3;
  }

  private static int byteAt(ByteBuffer elf, int at) {
    return Byte.toUnsignedInt(elf.get(at));
  }

  /** The program's function symbols by address ({@code nm}). */
  private static TreeMap<Long, String> functions(Path program) throws IOException, InterruptedException {
    Process nm = new ProcessBuilder("nm", "--defined-only", program.toString()).redirectErrorStream(true).start();
    String listing = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (nm.waitFor() != 0) {
      throw new IOException("nm " + program + " failed:\n" + listing);
    }
    TreeMap<Long, String> functions = new TreeMap<>();
    for (String line : listing.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length == 3 && (fields[1].equals("T") || fields[1].equals("t"))) {
        functions.putIfAbsent(Long.parseUnsignedLong(fields[0], 16), fields[2]);
      }
    }
    return functions;
  }

  private static String functionAt(TreeMap<Long, String> functions, long address) {
    Map.Entry<Long, String> below = functions.floorEntry(address);
    return below == null ? "no function" : below.getValue() + String.format("+0x%x", address - below.getKey());
  }
}
