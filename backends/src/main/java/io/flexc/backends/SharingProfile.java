package io.flexc.backends;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sharing profile, the text a proc program built with {@code --profile-sharing} writes and
 * merges at exit (flexc_proc_sharing.c): one line per access, {@code ACCESSOR OWNER KIND WHAT
 * COUNT}, the compartments by name, {@code KIND} heap (WHAT an allocation site, frames
 * {@code function+0xOFFSET} innermost first joined by {@code <}, {@code function~N+0xOFFSET}
 * for the Nth of several static functions of that name, after {@code @strdup<} when the
 * allocator was called by a function of the C library's), global (its name) or stack (the
 * function that touched it); {@code #} lines are comments. The runtime writes {@code
 * unknown-site} for a block whose site its owner could not tell and a global's address ({@code
 * 0x…}) for one without a symbol: such entries are kept, reviewable, but name nothing to share
 * ({@link #unplaced}).
 */
public record SharingProfile(Path file, List<Entry> entries) {

  private static final Pattern LINE = Pattern.compile("(\\S+) (\\S+) (heap|global|stack) (\\S+) (\\d+)");
  private static final String FRAME = "[A-Za-z_.$][A-Za-z0-9_.$]*(~[0-9]+)?\\+0x[0-9a-f]+";
  private static final Pattern SITE =
      Pattern.compile("@[A-Za-z0-9_.$?]+(<" + FRAME + ")*|" + FRAME + "(<" + FRAME + ")*");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_.$][A-Za-z0-9_.$]*");
  /** What the runtime writes when it cannot name a block's site or a global. */
  private static final Pattern UNPLACED = Pattern.compile("unknown-site|0x[0-9a-f]+");

  public SharingProfile {
    entries = List.copyOf(entries);
  }

  /** What compartment {@code accessor} touched of compartment {@code owner}'s, {@code count} times. */
  public record Entry(String accessor, String owner, Kind kind, String what, long count) {}

  /** What the memory touched was. */
  public enum Kind {
    HEAP,
    GLOBAL,
    STACK;

    public String label() {
      return name().toLowerCase();
    }
  }

  /** Reads {@code file}, refusing a line it cannot use with FILE:LINE:COL and what is wrong. */
  public static SharingProfile read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read the sharing profile: " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line);
      String where = file + ":" + (i + 1) + ":1: ";
      if (!matcher.matches()) {
        throw new IOException(where + "not a line of a sharing profile (ACCESSOR OWNER heap|global|stack WHAT COUNT): "
            + line);
      }
      Kind kind = Kind.valueOf(matcher.group(3).toUpperCase());
      String what = matcher.group(4);
      boolean named = kind == Kind.HEAP ? SITE.matcher(what).matches() : NAME.matcher(what).matches();
      if (!named && !(kind != Kind.STACK && UNPLACED.matcher(what).matches())) {
        throw new IOException(file + ":" + (i + 1) + ":" + (matcher.start(4) + 1) + ": not a "
            + (kind == Kind.HEAP ? "site (function+0xOFFSET<...)" : "name") + ": " + what);
      }
      entries.add(new Entry(matcher.group(1), matcher.group(2), kind, what, Long.parseLong(matcher.group(5))));
    }
    return new SharingProfile(file, entries);
  }

  /** The entries of one kind's distinct WHATs that name a site or global, in the profile's order. */
  public List<String> of(Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind && !isUnplaced(e)).map(Entry::what).distinct().toList();
  }

  /** The entries whose memory the runtime could not name: nothing can share it. */
  public List<Entry> unplaced() {
    return entries.stream().filter(SharingProfile::isUnplaced).toList();
  }

  private static boolean isUnplaced(Entry entry) {
    return entry.kind() != Kind.STACK && UNPLACED.matcher(entry.what()).matches();
  }
}
