/*
 * A stub network stack: datagram sockets over an in-memory loopback wire. Whatever is sent on
 * any socket is queued on the wire, and the next recv on any socket takes the oldest datagram, as
 * on a loopback interface with a single listener. Nothing blocks, since its callers are
 * cooperative threads: a full wire fails send, an empty one fails recv, both with EAGAIN, and the
 * caller tries again on its next turn.
 */
#include <errno.h>
#include <string.h>

#include "netstack.h"

#define MAX_SOCKETS 8
#define WIRE_SLOTS 4
#define MAX_DATAGRAM 64
/* Descriptors far above the C library's, so that one handed to the wrong stack fails. */
#define FIRST_DESCRIPTOR 100

struct datagram {
	size_t length;
	char bytes[MAX_DATAGRAM];
};

static int sockets_open;
static struct datagram wire[WIRE_SLOTS];
static unsigned wire_oldest, wire_queued;

static int valid_socket(int fd, int flags)
{
	if (fd < FIRST_DESCRIPTOR || fd >= FIRST_DESCRIPTOR + sockets_open) {
		errno = EBADF;
		return 0;
	}
	if (flags != 0) {
		errno = EOPNOTSUPP;
		return 0;
	}
	return 1;
}

int socket(int domain, int type, int protocol)
{
	if (domain != AF_INET || type != SOCK_DGRAM || protocol != 0) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (sockets_open == MAX_SOCKETS) {
		errno = EMFILE;
		return -1;
	}
	return FIRST_DESCRIPTOR + sockets_open++;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	struct datagram *slot;

	if (!valid_socket(fd, flags))
		return -1;
	if (len > MAX_DATAGRAM) {
		errno = EMSGSIZE;
		return -1;
	}
	if (wire_queued == WIRE_SLOTS) {
		errno = EAGAIN;
		return -1;
	}
	slot = &wire[(wire_oldest + wire_queued) % WIRE_SLOTS];
	memcpy(slot->bytes, buf, len);
	slot->length = len;
	wire_queued++;
	return len;
}

/* Like UDP, a datagram longer than the buffer is cut to fit. */
ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	struct datagram *slot;
	size_t taken;

	if (!valid_socket(fd, flags))
		return -1;
	if (wire_queued == 0) {
		errno = EAGAIN;
		return -1;
	}
	slot = &wire[wire_oldest];
	taken = slot->length < len ? slot->length : len;
	memcpy(buf, slot->bytes, taken);
	wire_oldest = (wire_oldest + 1) % WIRE_SLOTS;
	wire_queued--;
	return taken;
}
