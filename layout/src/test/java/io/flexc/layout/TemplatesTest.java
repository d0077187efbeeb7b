package io.flexc.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Templates read records' components and the names derived from them, and fail loudly on anything else. */
class TemplatesTest {

  private final Templates sample = Templates.group(TemplatesTest.class, "sample.stg");

  @Test
  void aTemplateReadsTheNamesFromTheLayout() {
    assertEquals("""
        extern char __flexc_c0_data_start[], __flexc_c0_data_end[]; /* .flexc_c0_data */
        extern char __flexc_c0_bss_start[], __flexc_c0_bss_end[]; /* .flexc_c0_bss */
        	__flexc_shared_start""", sample.render("symbols", "layout", Layout.of(1)));
  }

  @Test
  void anUnknownPropertyIsAFaultOfFlexc() {
    IllegalStateException fault = assertThrows(IllegalStateException.class,
        () -> sample.render("unknown", "layout", Layout.of(1)));
    assertTrue(fault.getMessage().startsWith("sample.stg, template unknown: "), fault.getMessage());
    assertTrue(fault.getMessage().contains("nothing"), fault.getMessage());
  }

  @Test
  void aMissingResourceIsNamed() {
    assertEquals("flexc is missing its resource none.stg",
        assertThrows(IllegalStateException.class, () -> Templates.group(TemplatesTest.class, "none.stg")).getMessage());
  }
}
