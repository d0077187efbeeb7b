/*
 * A Lua host whose C functions raise Lua errors (luaL_error, lua_error) and call back into Lua,
 * the way Redis's scripting does: the script catches them with pcall, the host with lua_pcall.
 * With the host and Lua in compartments of their own, every error longjmps, in Lua's process,
 * out of frames that wait for the host, while the host still waits in the function that raised
 * it. Lua's strings are read inside Lua (the host compares lengths and numbers only).
 */
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

/* checked(n): 2n, or the error "negative n" raised by the host through luaL_error. */
int host_checked(lua_State *L)
{
	lua_Number n = luaL_checknumber(L, 1);

	if (n < 0)
		return luaL_error(L, "negative %d", (int)n);
	lua_pushnumber(L, 2 * n);
	return 1;
}

/* apply(f, x): f(x) called by the host (lua_call), whose errors unwind through this frame. */
int host_apply(lua_State *L)
{
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* fail(message): the error object itself, raised by the host through lua_error. */
int host_fail(lua_State *L)
{
	return lua_error(L);
}

static const char script[] =
	"local caught, total = 0, 0\n"
	"for i = 1, 200 do\n"
	"  local ok, e = pcall(checked, -i)\n"
	"  if not ok and e:find('negative ' .. -i, 1, true) then caught = caught + 1 end\n"
	"  ok, e = pcall(apply, function(x) error('deep ' .. x, 0) end, i)\n"
	"  if not ok and e == 'deep ' .. i then caught = caught + 1 end\n"
	"  ok, e = pcall(apply, function(x) return checked(-x) end, i)\n"
	"  if not ok and e:find('negative', 1, true) then caught = caught + 1 end\n"
	"  ok, e = pcall(apply, apply, apply, fail, 'three hosts down')\n"
	"  if not ok and e == 'three hosts down' then caught = caught + 1 end\n"
	"  total = total + checked(i) + apply(checked, i)\n"
	"end\n"
	"return caught, total\n";

int main(void)
{
	lua_State *L = luaL_newstate();
	int runs = 0;

	luaL_openlibs(L);
	lua_pushcfunction(L, host_checked);
	lua_setglobal(L, "checked");
	lua_pushcfunction(L, host_apply);
	lua_setglobal(L, "apply");
	lua_pushcfunction(L, host_fail);
	lua_setglobal(L, "fail");
	if (luaL_loadbuffer(L, script, strlen(script), "=script") != 0) {
		printf("script does not load\n");
		return 1;
	}
	for (int i = 0; i < 5; i++) {
		lua_pushvalue(L, -1);
		if (lua_pcall(L, 0, 2, 0) != 0) {
			printf("run %d: error of %d bytes\n", i, (int)lua_objlen(L, -1));
			return 1;
		}
		printf("run %d: caught %d, total %.0f\n", i, (int)lua_tonumber(L, -2), lua_tonumber(L, -1));
		lua_pop(L, 2);
		runs++;
	}
	/* lua_pcall from C on the host's own function, which raises the error. */
	for (int i = 1; i <= 1000; i++) {
		int status;

		lua_getglobal(L, "checked");
		lua_pushnumber(L, -i);
		status = lua_pcall(L, 1, 1, 0);
		/* "negative -i": luaL_error names no place in a function called from C. */
		if (status != LUA_ERRRUN || lua_objlen(L, -1) != strlen("negative -") + (i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4)) {
			printf("lua_pcall %d: status %d, error of %d bytes\n", i, status, (int)lua_objlen(L, -1));
			return 1;
		}
		lua_pop(L, 1);
	}
	printf("%d runs, 1000 errors caught by lua_pcall\n", runs);
	lua_close(L);
	return 0;
}
