package io.flexc.linker;

import java.nio.file.Path;
import java.util.List;

/** The object files of one compartment, as they will be named on the link command line. */
public record CompartmentObjects(int compartment, List<Path> objects) {

  public CompartmentObjects {
    objects = List.copyOf(objects);
  }
}
