package io.flexc.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names, spelled out: the linker scripts define these symbols and the runtimes read them. */
class LayoutTest {

  @Test
  void aCompartmentSectionIsNamedByItsCompartmentAndKind() {
    CompartmentSection section = new CompartmentSection(2, SectionKind.RODATA);
    assertEquals(List.of(".flexc_c2_rodata", "__flexc_c2_rodata_start", "__flexc_c2_rodata_end"),
        List.of(section.name(), section.start(), section.end()));
    assertEquals("__flexc_c<k>_<kind>_start/_end", CompartmentSection.CONVENTION);
    assertEquals("__flexc_c7_<kind>_start/_end", CompartmentSection.convention("7"));
  }

  @Test
  void theWritableSectionsAreDataAndBssCompartmentByCompartment() {
    assertEquals(List.of("__flexc_c0_data_start", "__flexc_c0_bss_start", "__flexc_c1_data_start",
        "__flexc_c1_bss_start"), Layout.of(2).writable().stream().map(CompartmentSection::start).toList());
    assertEquals(List.of(".flexc_c3_text"),
        new Layout(List.of(3)).sections(SectionKind.TEXT).stream().map(CompartmentSection::name).toList());
  }

  @Test
  void theSharedSections() {
    Layout layout = Layout.of(1);
    assertEquals(new SharedSection(".data_shared", "__flexc_shared_start", "__flexc_shared_end"), layout.sharedData());
    assertEquals(new SharedSection(".text_shared", "__flexc_shared_text_start", "__flexc_shared_text_end"),
        layout.sharedText());
    assertEquals("__flexc_image_end", layout.imageEnd());
    assertEquals(4096, layout.page());
  }

  @Test
  void aCompartmentIsInALayoutOnce() {
    assertEquals("compartments [1, 0, 1] repeat one",
        assertThrows(IllegalArgumentException.class, () -> new Layout(List.of(1, 0, 1))).getMessage());
  }
}
