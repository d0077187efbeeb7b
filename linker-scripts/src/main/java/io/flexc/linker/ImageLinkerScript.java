package io.flexc.linker;

import io.flexc.layout.CompartmentSection;
import java.nio.file.Path;
import java.util.List;

/**
 * The linker script of one image of a multi-image backend ({@code ept}: one unikernel VM per
 * compartment): the image holds only its compartment's objects (page-aligned {@code
 * .flexc_c<k>_text/_rodata/_data/_bss}, bracketed by start and end symbols, as in {@link
 * LinuxLinkerScript}) plus {@code .data_shared} at the same fixed address in every image, where the
 * hypervisor's shared memory is mapped, and {@code .text_shared} at another fixed address (the gate
 * stubs, whose addresses cross between images as callbacks). Like the Linux script it extends ld's default layout, so an
 * image can be linked as an ordinary non-PIE executable to check it; {@code .data_shared} comes
 * last, after the image's own bss, so that its fixed address does not drag the rest along, and
 * must end before {@code sharedLimit}, where the call protocol's area begins. The names are
 * {@link io.flexc.layout.Layout}'s; the text is {@code ld.stg}'s template {@code image}.
 */
public final class ImageLinkerScript {

  /** Code every image holds at the same address (gate stubs), from the same objects in the same order. */
  public record SharedText(long address, List<Path> objects) {
    public SharedText {
      objects = List.copyOf(objects);
    }
  }

  private ImageLinkerScript() {}

  /**
   * The script of {@code image}'s compartment; {@code shared} are the shared globals its objects
   * define, {@code generator} says in the header which command wrote it.
   */
  public static String generate(CompartmentObjects image, List<SharedSymbol> shared, long sharedAddress,
      long sharedLimit, SharedText sharedText, String generator) {
    int k = image.compartment();
    return ScriptTemplates.render("image", List.of(image), shared, "generator", generator, "compartment", k,
        "convention", CompartmentSection.convention(Integer.toString(k)),
        "address", ScriptTemplates.hex(sharedAddress), "limit", ScriptTemplates.hex(sharedLimit),
        "sharedText", new ScriptTemplates.FixedText(ScriptTemplates.hex(sharedText.address()),
            ScriptTemplates.quoted(sharedText.objects())));
  }
}
