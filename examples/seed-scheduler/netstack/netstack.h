/*
 * The stub network stack's API (meta/netstack/Properties.def): socket, send and recv with the C
 * library's prototypes, over an in-memory loopback wire. Datagram sockets only, and they never
 * block: a full or empty wire fails with EAGAIN.
 */
#ifndef NETSTACK_H
#define NETSTACK_H

#include <sys/socket.h>

#endif
