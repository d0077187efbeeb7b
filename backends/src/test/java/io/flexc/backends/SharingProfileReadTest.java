package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sharing profile as the proc runtime writes it, read back; a line it cannot use is refused with FILE:LINE:COL. */
class SharingProfileReadTest {

  @TempDir Path temporary;

  @Test
  void readsEachKindAndListsDistinctSitesAndNames() throws IOException {
    Path file = Files.writeString(temporary.resolve("profile.txt"), """
        # flexc sharing profile
        app lib global hits 2
        lib app heap @strdup<main+0x1f 1
        lib app heap new_state+0x1d<main+0x8f 3
        lib app heap createStringObject~2+0x19<main+0x8f 3
        server lua heap new_state+0x1d<main+0x8f 1
        lib app stack sum_request 1
        """);
    SharingProfile profile = SharingProfile.read(file);
    assertEquals(6, profile.entries().size());
    assertEquals(new SharingProfile.Entry("app", "lib", SharingProfile.Kind.GLOBAL, "hits", 2),
        profile.entries().getFirst());
    assertEquals(List.of("@strdup<main+0x1f", "new_state+0x1d<main+0x8f", "createStringObject~2+0x19<main+0x8f"), profile.of(SharingProfile.Kind.HEAP));
    assertEquals(List.of("hits"), profile.of(SharingProfile.Kind.GLOBAL));
    assertEquals(List.of("sum_request"), profile.of(SharingProfile.Kind.STACK));
  }

  @Test
  void keepsWhatTheRuntimeCouldNotNameAsNothingToShare() throws IOException {
    Path file = Files.writeString(temporary.resolve("unnamed.txt"),
        "server lua heap unknown-site 12\nlua server global 0x4a20 3\nlua server heap zmalloc+0x29<main+0x1f 7\n");
    SharingProfile profile = SharingProfile.read(file);
    assertEquals(List.of("zmalloc+0x29<main+0x1f"), profile.of(SharingProfile.Kind.HEAP));
    assertEquals(List.of(), profile.of(SharingProfile.Kind.GLOBAL));
    assertEquals(List.of(new SharingProfile.Entry("server", "lua", SharingProfile.Kind.HEAP, "unknown-site", 12),
        new SharingProfile.Entry("lua", "server", SharingProfile.Kind.GLOBAL, "0x4a20", 3)), profile.unplaced());
  }

  @Test
  void refusesWhatIsNotAProfileLine() throws IOException {
    Path file = Files.writeString(temporary.resolve("bad.txt"), "app lib global hits\n");
    IOException refused = assertThrows(IOException.class, () -> SharingProfile.read(file));
    assertEquals(file + ":1:1: not a line of a sharing profile (ACCESSOR OWNER heap|global|stack WHAT COUNT): app lib"
        + " global hits", refused.getMessage());
    Path site = Files.writeString(temporary.resolve("site.txt"), "lib app heap main+12 1\n");
    refused = assertThrows(IOException.class, () -> SharingProfile.read(site));
    assertEquals(site + ":1:14: not a site (function+0xOFFSET<...): main+12", refused.getMessage());
  }
}
