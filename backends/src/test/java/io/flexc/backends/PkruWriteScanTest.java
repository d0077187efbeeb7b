package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan of a linked program's PKRU writes, on a program with one of every kind. */
class PkruWriteScanTest {

  @TempDir Path temporary;

  @Test
  void onlyTheCheckedSwitchPasses() throws IOException, InterruptedException {
    Path program = temporary.resolve("writes");
    Commands.succeed(Path.of("."), List.of("gcc", "-O2", "-no-pie", "-o", program.toString(),
        "src/test/resources/pkru/writes.c"));

    PkruWriteScan.Result scan = PkruWriteScan.scan(program, Set.of(0xcL, 0x30L));

    assertEquals(1, scan.checkedWrites());
    assertEquals(Set.of(
            "checked_against_another_value: a wrpkru checked against 0x4, which is no compartment's PKRU value",
            "bare: a wrpkru not followed by a comparison of eax: it writes any value a jump to it brings",
            "hidden: a wrpkru not followed by a comparison of eax: it writes any value a jump to it brings"),
        Set.copyOf(scan.uncheckedWrites().stream().map(PkruWriteScanTest::functionAndWhat).toList()));
    assertEquals(3, scan.uncheckedWrites().size());
    assertEquals(List.of("restore: xrstor, which can restore PKRU"),
        scan.restores().stream().map(PkruWriteScanTest::functionAndWhat).toList());
  }

  private static String functionAndWhat(PkruWriteScan.Finding finding) {
    return finding.function().replaceAll("\\+0x[0-9a-f]+$", "") + ": " + finding.what();
  }
}
