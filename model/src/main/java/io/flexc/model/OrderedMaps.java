package io.flexc.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unmodifiable map copies that keep insertion order, which {@link Map#copyOf} does not. */
final class OrderedMaps {

  private OrderedMaps() {}

  static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
