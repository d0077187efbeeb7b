package io.flexc.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.stringtemplate.v4.Interpreter;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;
import org.stringtemplate.v4.STWriter;
import org.stringtemplate.v4.misc.ErrorBuffer;
import org.stringtemplate.v4.misc.STMessage;
import org.stringtemplate.v4.misc.STNoSuchPropertyException;

/**
 * The C, headers, linker scripts and shell scripts flexc writes, kept as resources beside the
 * classes that write them: a file without per-configuration holes is copied as it is ({@link
 * #text}); one with holes is a StringTemplate group ({@code .stg}) whose templates take small
 * records, the output model, as attributes ({@link #group}, {@link #render}). The groups use the
 * delimiters {@code «»}, since C is full of {@code <>}, mpk's assembly and shell use {@code $}.
 */
public final class Templates {

  private final String name;
  private final STGroup group;

  private Templates(String name, STGroup group) {
    this.name = name;
    this.group = group;
  }

  /** The resource {@code name}, relative to {@code anchor}'s package, as text: a static runtime part. */
  public static String text(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("flexc is missing its resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The template group {@code name}, relative to {@code anchor}'s package, its attributes records. */
  public static Templates group(Class<?> anchor, String name) {
    URL url = anchor.getResource(name);
    if (url == null) {
      throw new IllegalStateException("flexc is missing its resource " + name);
    }
    STGroup group = new STGroupFile(url, StandardCharsets.UTF_8.name(), '«', '»');
    group.registerModelAdaptor(Record.class, Templates::component);
    return new Templates(name, group);
  }

  /**
   * Renders {@code template} with its attributes given as name, value pairs. A fault in a template
   * (an unknown attribute or property, a syntax error) is a fault of flexc and fails loudly.
   */
  public String render(String template, Object... attributes) {
    ErrorBuffer errors = new Faults();
    group.setListener(errors);
    ST st = group.getInstanceOf(template);
    if (st == null) {
      throw new IllegalStateException(name + " has no template " + template + ": " + errors);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      st.add((String) attributes[i], attributes[i + 1]);
    }
    VerbatimWriter out = new VerbatimWriter();
    st.write(out, errors);
    if (!errors.errors.isEmpty()) {
      throw new IllegalStateException(name + ", template " + template + ": " + errors);
    }
    return out.text.toString();
  }

  /**
   * A record's component {@code property} or, failing that, one of the public methods without
   * parameters its class declares: a name derived from the components, as a section's symbols are
   * (ST4 knows getters and public fields, not records).
   */
  private static Object component(Interpreter interpreter, ST self, Record model, Object property,
      String propertyName) {
    Method accessor = accessor(model.getClass(), propertyName);
    if (accessor == null) {
      throw new STNoSuchPropertyException(null, model, propertyName);
    }
    try {
      accessor.setAccessible(true);
      return accessor.invoke(model);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Method accessor(Class<?> type, String name) {
    for (RecordComponent component : type.getRecordComponents()) {
      if (component.getName().equals(name)) {
        return component.getAccessor();
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      int modifiers = method.getModifiers();
      if (method.getName().equals(name) && method.getParameterCount() == 0 && Modifier.isPublic(modifiers)
          && !Modifier.isStatic(modifiers)) {
        return method;
      }
    }
    return null;
  }

  /**
   * Every fault of a rendering, an unknown property included: ST4's own buffer leaves that one out,
   * and the property would come out as nothing.
   */
  private static final class Faults extends ErrorBuffer {
    @Override
    public void runTimeError(STMessage message) {
      errors.add(message);
    }
  }

  /**
   * Writes a template's text and its attributes' values byte for byte. ST's own writers indent
   * every line of a multi-line value like the line of its expression and drop carriage returns;
   * here a line's leading white space is written once, before what follows it on that line, and
   * values (a callee's preprocessor lines, say) come out exactly as they are.
   */
  private static final class VerbatimWriter implements STWriter {
    private final StringBuilder text = new StringBuilder();
    private final Deque<String> indents = new ArrayDeque<>();
    private final StringBuilder pending = new StringBuilder();

    @Override
    public void pushIndentation(String indent) {
      indents.push(indent);
      pending.append(indent);
    }

    @Override
    public String popIndentation() {
      pending.setLength(0);
      return indents.pop();
    }

    @Override
    public void pushAnchorPoint() {}

    @Override
    public void popAnchorPoint() {}

    @Override
    public void setLineWidth(int lineWidth) {}

    @Override
    public int write(String str) {
      if (str.isEmpty()) {
        return 0;
      }
      if (str.charAt(0) == '\n') {
        pending.setLength(0); // a line's indentation is not written on an empty line
      }
      int written = pending.length() + str.length();
      text.append(pending).append(str);
      pending.setLength(0);
      return written;
    }

    @Override
    public int write(String str, String wrap) {
      return write(str);
    }

    @Override
    public int writeWrap(String wrap) {
      return 0;
    }

    @Override
    public int writeSeparator(String str) {
      return write(str);
    }

    @Override
    public int index() {
      return text.length();
    }
  }
}
