package io.flexc.metadata.config;

import io.flexc.model.Diagnostic;
import io.flexc.model.DiagnosticKind;
import io.flexc.model.InputFiles;
import io.flexc.model.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML file read as a tree of nodes that keep their positions, with typed accessors that report
 * a diagnostic (and return empty) whenever a value does not have the expected shape.
 */
final class YamlDocument {

  /**
   * The most aliases of lists and mappings a file may use; flexc's files need none, and each one
   * can multiply the work of reading what it points to.
   */
  private static final int MAX_ALIASES = 50;

  private final String file;
  private final List<Diagnostic> diagnostics;

  private YamlDocument(String file, List<Diagnostic> diagnostics) {
    this.file = file;
    this.diagnostics = diagnostics;
  }

  /**
   * The root node of {@code text}, or empty after reporting why there is none. Aliases that expand
   * a document's size (billion laughs), recursive keys, and nesting deeper than {@link
   * InputFiles#MAX_NESTING} are refused: the engine composes nodes by recursion.
   */
  static Optional<Node> parse(String file, String text, List<Diagnostic> diagnostics) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file)
            .setCodePointLimit(InputFiles.MAX_BYTES)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setAllowRecursiveKeys(false)
            .build();
    try {
      Optional<Event> tooDeep = firstTooDeep(new Parse(settings).parseString(text));
      if (tooDeep.isPresent()) {
        SourcePosition position =
            tooDeep.get().getStartMark().map(mark -> position(file, mark)).orElse(SourcePosition.startOf(file));
        diagnostics.add(
            Diagnostic.of(
                DiagnosticKind.BAD_CONFIG_VALUE,
                position,
                "invalid YAML: lists and mappings nested more than " + InputFiles.MAX_NESTING + " deep"));
        return Optional.empty();
      }
      Optional<Node> root = new Compose(settings).composeString(text);
      if (root.isEmpty()) {
        diagnostics.add(
            Diagnostic.of(DiagnosticKind.BAD_CONFIG_VALUE, SourcePosition.startOf(file), "the file is empty"));
      }
      return root;
    } catch (MarkedYamlEngineException e) {
      SourcePosition position =
          e.getProblemMark().map(mark -> position(file, mark)).orElse(SourcePosition.startOf(file));
      diagnostics.add(
          Diagnostic.of(DiagnosticKind.BAD_CONFIG_VALUE, position, "invalid YAML: " + e.getProblem()));
    } catch (YamlEngineException e) {
      diagnostics.add(
          Diagnostic.of(
              DiagnosticKind.BAD_CONFIG_VALUE, SourcePosition.startOf(file), "invalid YAML: " + e.getMessage()));
    }
    return Optional.empty();
  }

  /** The first list or mapping that opens deeper than {@link InputFiles#MAX_NESTING}. */
  private static Optional<Event> firstTooDeep(Iterable<Event> events) {
    int depth = 0;
    for (Event event : events) {
      switch (event.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > InputFiles.MAX_NESTING) {
            return Optional.of(event);
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> {}
      }
    }
    return Optional.empty();
  }

  static YamlDocument reportingTo(String file, List<Diagnostic> diagnostics) {
    return new YamlDocument(file, diagnostics);
  }

  SourcePosition position(Node node) {
    return node.getStartMark().map(mark -> position(file, mark)).orElse(SourcePosition.startOf(file));
  }

  private static SourcePosition position(String file, Mark mark) {
    return new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  void error(Node node, String message) {
    diagnostics.add(Diagnostic.of(DiagnosticKind.BAD_CONFIG_VALUE, position(node), message));
  }

  void report(DiagnosticKind kind, Node node, Object... arguments) {
    report(kind, position(node), arguments);
  }

  void report(DiagnosticKind kind, SourcePosition position, Object... arguments) {
    diagnostics.add(Diagnostic.of(kind, position, arguments));
  }

  /**
   * The entries of a mapping by key, in file order. Reports a node that is not a mapping, keys
   * that are not plain strings, repeated keys, and (when {@code allowedKeys} is not empty) keys
   * outside it.
   */
  Optional<Map<String, Entry>> mapping(Node node, String what, Set<String> allowedKeys) {
    if (!(node instanceof MappingNode mapping)) {
      error(node, what + " must be a mapping of keys to values");
      return Optional.empty();
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        error(tuple.getKeyNode(), "keys of " + what + " must be plain names");
        continue;
      }
      if (!allowedKeys.isEmpty() && !allowedKeys.contains(key.getValue())) {
        report(DiagnosticKind.UNKNOWN_KEY, key, key.getValue(), what, String.join(", ", allowedKeys));
        continue;
      }
      Entry previous = entries.putIfAbsent(key.getValue(), new Entry(key, tuple.getValueNode()));
      if (previous != null) {
        error(key, "duplicate key '" + key.getValue() + "' in " + what
            + "; it was already given at " + position(previous.key()).lineAndColumn());
      }
    }
    return Optional.of(entries);
  }

  Optional<List<Node>> sequence(Node node, String what) {
    if (node instanceof SequenceNode sequence) {
      return Optional.of(sequence.getValue());
    }
    error(node, what + " must be a list, e.g. [a, b]");
    return Optional.empty();
  }

  Optional<String> string(Node node, String what) {
    if (node instanceof ScalarNode scalar && !scalar.getValue().isEmpty()) {
      return Optional.of(scalar.getValue());
    }
    error(node, what + " must be a non-empty text value");
    return Optional.empty();
  }

  /** The strings of a list, reporting and skipping elements that are not strings. */
  List<Scalar> strings(Node node, String what) {
    List<Scalar> values = new ArrayList<>();
    sequence(node, what)
        .ifPresent(elements -> {
          for (Node element : elements) {
            string(element, "each element of " + what)
                .ifPresent(value -> values.add(new Scalar(value, position(element))));
          }
        });
    return values;
  }

  Optional<Integer> integer(Node node, String what) {
    if (node instanceof ScalarNode scalar) {
      try {
        return Optional.of(Integer.parseInt(scalar.getValue().strip()));
      } catch (NumberFormatException notANumber) {
        // reported below
      }
    }
    error(node, what + " must be a whole number");
    return Optional.empty();
  }

  Optional<Boolean> bool(Node node, String what) {
    if (node instanceof ScalarNode scalar) {
      switch (scalar.getValue()) {
        case "true", "yes", "on" -> {
          return Optional.of(true);
        }
        case "false", "no", "off" -> {
          return Optional.of(false);
        }
        default -> {}
      }
    }
    error(node, what + " must be true or false");
    return Optional.empty();
  }

  /** A key and its value node. */
  record Entry(ScalarNode key, Node value) {}

  /** A string value and where it was written. */
  record Scalar(String value, SourcePosition position) {}
}
