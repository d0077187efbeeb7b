#ifndef LOGGER_H
#define LOGGER_H

int log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
