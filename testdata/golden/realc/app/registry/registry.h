#ifndef REGISTRY_H
#define REGISTRY_H

int registry_run(const char *name, int x);

#endif
