package io.flexc.metadata.parse;

import io.flexc.model.SourcePosition;
import java.util.List;

/**
 * A section as written: its name with blanks collapsed ({@code Memory Access}), where its header
 * starts, and its items in order.
 */
public record RawSection(String name, SourcePosition position, List<RawItem> items) {

  public RawSection {
    items = List.copyOf(items);
  }
}
