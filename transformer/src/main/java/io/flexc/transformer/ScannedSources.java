package io.flexc.transformer;

import io.flexc.transformer.source.CFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's C files as scanned, by library in the order the application lists them, and
 * (object level only) the headers each library's files can include, where inline functions that
 * the objects define come from.
 */
record ScannedSources(Map<String, List<CFile>> filesOf, Map<String, List<CFile>> headersOf) {

  ScannedSources {
    filesOf = Collections.unmodifiableMap(new LinkedHashMap<>(filesOf));
    headersOf = Map.copyOf(headersOf);
  }
}
