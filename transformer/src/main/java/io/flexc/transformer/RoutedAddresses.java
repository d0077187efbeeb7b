package io.flexc.transformer;

import io.flexc.model.AddressSite;
import io.flexc.model.Gate;
import java.util.List;

/** What {@link RouteAddresses} found and did: the entry gates to generate, and every address-taken site. */
record RoutedAddresses(List<Gate> entries, List<AddressSite> sites) {

  RoutedAddresses {
    entries = List.copyOf(entries);
    sites = List.copyOf(sites);
  }
}
