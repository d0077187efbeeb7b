package io.flexc.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A parameter declaration as a member of a private-stack gate's frame. */
class PrivateStackStubTest {

  @Test
  void membersAreParametersAsTheCalleeReceivesThem() {
    assertEquals("const char *name", PrivateStackStub.member("const char *name", "name"));
    assertEquals("char *p", PrivateStackStub.member("char *const p", "p"));
    assertEquals("int x", PrivateStackStub.member("const int x", "x"));
    assertEquals("char (*buffer)", PrivateStackStub.member("char buffer[16]", "buffer"));
    assertEquals("int (*grid)[4]", PrivateStackStub.member("int grid[][4]", "grid"));
    assertEquals("const struct point (*points)", PrivateStackStub.member("const struct point points[static 2]", "points"));
    assertEquals("void (*visit)(int index, long value)",
        PrivateStackStub.member("void (*visit)(int index, long value)", "visit"));
    assertEquals("struct vault_stats stats", PrivateStackStub.member("struct vault_stats stats", "stats"));
  }
}
