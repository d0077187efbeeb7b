/*
 * A store of numbers by key, like a database whose scripting engine is a library of its own:
 * the program saves it in a forked child (BGSAVE) through the store's own walk, which calls the
 * program back for each entry, and the store may fork itself.
 */
int store_put(int key, int value);
int store_get(int key);
int store_slow_get(int key);
int store_each(void (*visit)(int key, int value));
int store_fork_and_note(int (*note)(int value), int value);
