#ifndef KVSTORE_NET_H
#define KVSTORE_NET_H

#include <stddef.h>

/* Network I/O on loopback: the sockets live here, the rest of the program knows them by number. */
enum net_event_kind { NET_ACCEPTED, NET_READABLE };

struct net_event {
	int connection;
	int kind;
};

int net_listen(int port);
/* Waits at most timeout_ms for events (new connections are accepted here); their number, or -1. */
int net_poll(struct net_event *events, int capacity, int timeout_ms);
/* Bytes read, 0 when the peer closed, -1 on error (nothing to read counts as an error, EAGAIN). */
long net_read(int connection, char *buffer, size_t capacity);
/* Writes all length bytes, waiting while the peer is slow; -1 if the connection failed. */
int net_write(int connection, const char *buffer, size_t length);
/* Sends the end of the stream after what was written; the connection can still be read. 0, or -1. */
int net_finish(int connection);
void net_close(int connection);
/* Closes every connection and the listening socket. */
void net_shutdown(void);

#endif
