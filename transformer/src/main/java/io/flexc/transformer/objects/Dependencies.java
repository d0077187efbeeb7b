package io.flexc.transformer.objects;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The files a compilation read, from the make rule gcc writes with {@code -MD -MF FILE}: {@code
 * target: dependency ...}, lines continued with a backslash, spaces in names escaped with one.
 */
final class Dependencies {

  private Dependencies() {}

  /** Each dependency once, in the rule's order, relative paths resolved against {@code directory}. */
  static List<Path> parse(String rule, Path directory) {
    String text = rule.replace("\\\r\n", " ").replace("\\\n", " ");
    Set<Path> files = new LinkedHashSet<>();
    for (String line : text.lines().toList()) {
      int colon = targetEnd(line);
      if (colon < 0) {
        continue;
      }
      StringBuilder word = new StringBuilder();
      for (int i = colon + 1; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ' ') {
          word.append(' ');
          i++;
        } else if (Character.isWhitespace(c)) {
          add(word, directory, files);
        } else {
          word.append(c);
        }
      }
      add(word, directory, files);
    }
    return new ArrayList<>(files);
  }

  /** Where the target ends: the first colon followed by a space or the line's end. */
  private static int targetEnd(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == ':' && (i + 1 == line.length() || Character.isWhitespace(line.charAt(i + 1)))) {
        return i;
      }
    }
    return -1;
  }

  private static void add(StringBuilder word, Path directory, Set<Path> files) {
    if (!word.isEmpty()) {
      files.add(directory.resolve(word.toString()).toAbsolutePath().normalize());
      word.setLength(0);
    }
  }
}
