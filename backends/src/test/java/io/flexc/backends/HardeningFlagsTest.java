package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flexc.model.Behaviour;
import io.flexc.model.HardeningMechanism;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HardeningFlagsTest {

  private static HardeningMechanism mechanism(String name, List<String> flags, List<String> linkFlags) {
    return new HardeningMechanism(name, "", Set.of(Behaviour.WRITE_ANY), Set.of(), 1, 1, flags, linkFlags);
  }

  private static final HardeningMechanism ASAN =
      mechanism("asan", List.of("-fsanitize=address", "-fno-omit-frame-pointer"), List.of("-fsanitize=address"));
  private static final HardeningMechanism SP = mechanism("sp", List.of("-fstack-protector-strong"), List.of());

  @Test
  void eachLibraryGetsItsMechanismsFlagsAndTheProgramTheirLinkFlagsOnce() {
    HardeningFlags flags = HardeningFlags.of(
        Map.of("app", Set.of("sp", "asan"), "net", Set.of("asan"), "store", Set.of()),
        Map.of("asan", ASAN, "sp", SP));
    assertEquals(Map.of(
        "app", List.of("-fsanitize=address", "-fno-omit-frame-pointer", "-fstack-protector-strong"),
        "net", List.of("-fsanitize=address", "-fno-omit-frame-pointer")), flags.compilerFlags());
    assertEquals(List.of("-fsanitize=address"), flags.linkerFlags());
  }

  @Test
  void theInstalledGccNamesWhatItCannotApply() throws Exception {
    HardeningMechanism bogus = mechanism("bogus", List.of("-fno-such-hardening-flag"), List.of());
    Map<String, String> unsupported = HardeningFlags.unsupported(List.of(SP, bogus), "gcc");
    assertEquals(Set.of("bogus"), unsupported.keySet());
    assertTrue(unsupported.get("bogus").contains("-fno-such-hardening-flag"), unsupported.get("bogus"));
  }
}
