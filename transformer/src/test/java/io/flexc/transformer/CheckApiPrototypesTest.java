package io.flexc.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flexc.transformer.types.CType;
import io.flexc.transformer.types.CompiledFunction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an [API] entry's text is compared with the compiler's function, one spelling at a time. */
class CheckApiPrototypesTest {

  private static final CType INT = new CType.Base("int", 4, 0x5);
  private static final CType DOUBLE = new CType.Base("double", 8, 0x4);
  private static final CType STATE = new CType.Pointer(new CType.Named("lua_State"));

  private static CompiledFunction function(String name, CType result, CType... parameters) {
    return new CompiledFunction(name, true, new CType.Function(result, List.of(parameters), false, true),
        List.of());
  }

  @Test
  void exportMacrosAndSpacingDoNotMatter() {
    assertEquals("", CheckApiPrototypes.differences("LUA_API int lua_gettop (lua_State *L)", "lua_gettop",
        function("lua_gettop", INT, STATE)));
  }

  @Test
  void aResultNamedByATypedefIsComparedByName() {
    CType number = new CType.Typedef("lua_Number", DOUBLE);
    assertEquals("", CheckApiPrototypes.differences("LUA_API lua_Number lua_tonumber(lua_State *L, int idx)",
        "lua_tonumber", function("lua_tonumber", number, STATE, INT)));
    assertEquals("", CheckApiPrototypes.differences("size_t lua_objlen(lua_State *L, int idx)", "lua_objlen",
        function("lua_objlen", new CType.Typedef("lua_Number", DOUBLE), STATE, INT)),
        "a typedef the compiler's result does not go by cannot be classified from the text");
  }

  @Test
  void aPointerResultIsAnInteger() {
    assertEquals("the result is INTEGER in the [API], SSE in the compiler's",
        CheckApiPrototypes.differences("const char *f(void)", "f", function("f", DOUBLE)));
    CType pointerToFunction = new CType.Pointer(new CType.Function(INT, List.of(INT), false, true));
    assertEquals("", CheckApiPrototypes.differences("int (*pick(int which))(int)", "pick",
        function("pick", pointerToFunction, INT)));
  }

  @Test
  void textThatDeclaresNoFunction() {
    assertEquals("the [API] text does not declare g as a function",
        CheckApiPrototypes.differences("int g", "g", function("g", INT)));
  }
}
