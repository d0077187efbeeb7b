/* A library with protected calls and errors that longjmp to them, as Lua's lua_pcall and lua_error. */
typedef long (*prot_function)(long argument);

/* function(argument), or -code if an error was raised inside it. */
long prot_call(prot_function function, long argument);
/* Jumps to the innermost protected call of this thread, which returns -code. */
__attribute__((noreturn)) void prot_error(int code);
/* function(argument): a callback made by the library, outside any protected call of its own. */
long prot_call_back(prot_function function, long argument);
/* A protected function(1), which fails, then function(0) from depth frames further down: 100 * the first + the second. */
long prot_retry(prot_function function, long depth);
