package io.flexc.layout;

/**
 * A section that belongs to no compartment, bracketed by start and end symbols: {@link #DATA} and
 * {@link #TEXT} are the only two.
 */
public record SharedSection(String name, String start, String end) {

  /**
   * The globals more than one compartment uses, each in its own input section ({@code
   * -fdata-sections}): proc remaps it onto shared memory before it forks, ept places it at the
   * same address in every image, where the hypervisor maps the shared memory.
   */
  public static final SharedSection DATA = new SharedSection(".data_shared", "__flexc_shared_start",
      "__flexc_shared_end");

  /**
   * ept's gate stubs, at the same address in every image, so that a gate's address passed as a
   * callback means the same in every image.
   */
  public static final SharedSection TEXT = new SharedSection(".text_shared", "__flexc_shared_text_start",
      "__flexc_shared_text_end");
}
