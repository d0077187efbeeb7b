package io.flexc.transformer.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code compile_commands.json} (as bear or CMake write it): each file's working directory and
 * flags. Output, dependency-file and {@code -c} options are dropped: flexc chooses where objects go.
 */
public final class CompilationDatabase {

  private static final Set<String> DROPPED = Set.of("-c", "-MD", "-MMD", "-MP", "-M", "-MM");
  private static final Set<String> DROPPED_WITH_VALUE = Set.of("-o", "-MF", "-MT", "-MQ");

  private final Map<Path, CompileCommand> byFile;

  private CompilationDatabase(Map<Path, CompileCommand> byFile) {
    this.byFile = byFile;
  }

  public static CompilationDatabase empty() {
    return new CompilationDatabase(Map.of());
  }

  public static CompilationDatabase read(Path file) throws IOException {
    JsonNode entries = new ObjectMapper().readTree(file.toFile());
    if (entries == null || !entries.isArray()) {
      throw new IOException(file + ": expected a JSON array of compile commands");
    }
    Map<Path, CompileCommand> byFile = new HashMap<>();
    for (JsonNode entry : entries) {
      Path directory = Path.of(entry.path("directory").asText("."));
      Path source = directory.resolve(entry.path("file").asText()).normalize();
      List<String> words = new ArrayList<>();
      if (entry.has("arguments")) {
        entry.get("arguments").forEach(word -> words.add(word.asText()));
      } else {
        words.addAll(ShellWords.split(entry.path("command").asText()));
      }
      List<String> kept = new ArrayList<>();
      for (int i = 0; i < words.size(); i++) {
        String word = words.get(i);
        if (DROPPED_WITH_VALUE.contains(word)) {
          i++;
        } else if (!DROPPED.contains(word) && !isSource(word, directory, source)) {
          kept.add(word);
        }
      }
      if (!kept.isEmpty()) {
        byFile.putIfAbsent(source, new CompileCommand(directory, kept));
      }
    }
    return new CompilationDatabase(byFile);
  }

  private static boolean isSource(String word, Path directory, Path source) {
    return !word.startsWith("-") && directory.resolve(word).normalize().equals(source);
  }

  public Optional<CompileCommand> commandFor(Path source) {
    return Optional.ofNullable(byFile.get(source.toAbsolutePath().normalize()));
  }
}
