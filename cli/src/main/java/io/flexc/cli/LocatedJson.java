package io.flexc.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.build.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document read strictly — a duplicate key or anything after the value is an error, where
 * Jackson's tree reader would let the last key win or stop reading — with where every value and
 * every key starts, so that what is wrong with a value can be said at its line and column.
 */
record LocatedJson(JsonNode root, Map<JsonPointer, JsonLocation> values, Map<JsonPointer, JsonLocation> keys) {

  LocatedJson {
    values = Map.copyOf(values);
    keys = Map.copyOf(keys);
  }

  /** The document in {@code text}; a {@link JsonParseException} says where it stops being JSON. */
  static LocatedJson parse(String text) throws IOException {
    try (JsonParser parser = Json.MAPPER.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new JsonParseException(parser, "no JSON value", parser.currentLocation());
      }
      Map<JsonPointer, JsonLocation> values = new HashMap<>();
      Map<JsonPointer, JsonLocation> keys = new HashMap<>();
      JsonNode root = value(parser, JsonPointer.empty(), values, keys);
      trailing(parser, text);
      return new LocatedJson(root, values, keys);
    } catch (JsonEOFException e) {
      throw new JsonParseException(null, "the file ends inside the JSON value", e.getLocation());
    }
  }

  /**
   * An error at the first character after the value that is not white space, whatever it is: the
   * parser's next token would say where a token ends, and nothing for what is no token.
   */
  private static void trailing(JsonParser parser, String text) throws JsonParseException {
    JsonLocation end = parser.currentLocation();
    int line = end.getLineNr();
    int column = end.getColumnNr();
    for (int offset = (int) end.getCharOffset(); offset < text.length(); offset++) {
      char c = text.charAt(offset);
      if (c == '\n') {
        line++;
        column = 1;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        column++;
      } else {
        throw new JsonParseException(parser, "trailing content after the JSON value",
            new JsonLocation(end.contentReference(), offset, line, column));
      }
    }
  }

  /** Where the value at {@code pointer} starts. */
  JsonLocation valueAt(JsonPointer pointer) {
    return values.get(pointer);
  }

  /** Where the key naming the member at {@code pointer} starts. */
  JsonLocation keyAt(JsonPointer pointer) {
    return keys.get(pointer);
  }

  private static JsonNode value(JsonParser parser, JsonPointer at, Map<JsonPointer, JsonLocation> values,
      Map<JsonPointer, JsonLocation> keys) throws IOException {
    values.put(at, parser.currentTokenLocation());
    if (parser.currentToken() == JsonToken.START_OBJECT) {
      ObjectNode object = Json.MAPPER.createObjectNode();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonPointer member = at.appendProperty(name);
        JsonLocation key = parser.currentTokenLocation();
        if (object.has(name)) {
          throw new JsonParseException(parser, "duplicate key '" + name + "'; it was already given at "
              + keys.get(member).getLineNr() + ":" + keys.get(member).getColumnNr(), key);
        }
        keys.put(member, key);
        parser.nextToken();
        object.set(name, value(parser, member, values, keys));
      }
      return object;
    }
    if (parser.currentToken() == JsonToken.START_ARRAY) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        array.add(value(parser, at.appendIndex(array.size()), values, keys));
      }
      return array;
    }
    return parser.readValueAsTree();
  }
}
