#include <stdarg.h>
#include <stdio.h>

#include "logger.h"

/* Formats one line and prints it: the callee reads the format and the variable arguments. */
int log_line(const char *format, ...)
{
  char line[128];
  va_list arguments;
  va_start(arguments, format);
  int length = vsnprintf(line, sizeof line, format, arguments);
  va_end(arguments);
  printf("log: %s\n", line);
  return length;
}
