#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

#define NET_MAX_CONNECTIONS 1024

/* Slot 0 is the listening socket; the others are connections, -1 when free. */
static struct pollfd watched[NET_MAX_CONNECTIONS + 1];
static int watched_count;

static int nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int net_listen(int port)
{
	struct sockaddr_in address;
	int yes = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&address, 0, sizeof address);
	address.sin_family = AF_INET;
	address.sin_port = htons((unsigned short)port);
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
	    bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 511) != 0 ||
	    nonblocking(fd) != 0) {
		int error = errno;

		close(fd);
		errno = error;
		return -1;
	}
	watched[0].fd = fd;
	watched[0].events = POLLIN;
	watched_count = 1;
	return fd;
}

static void accept_all(struct net_event *events, int capacity, int *count)
{
	while (*count < capacity) {
		int yes = 1;
		int slot;
		int fd = accept4(watched[0].fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		for (slot = 1; slot < watched_count && watched[slot].fd >= 0; slot++)
			;
		if (slot == NET_MAX_CONNECTIONS + 1) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
		watched[slot].fd = fd;
		watched[slot].events = POLLIN;
		watched[slot].revents = 0;
		if (slot == watched_count)
			watched_count++;
		events[*count].connection = fd;
		events[*count].kind = NET_ACCEPTED;
		(*count)++;
	}
}

int net_poll(struct net_event *events, int capacity, int timeout_ms)
{
	int count = 0;
	int ready = poll(watched, (nfds_t)watched_count, timeout_ms);

	if (ready <= 0)
		return ready < 0 && errno != EINTR ? -1 : 0;
	for (int slot = 1; slot < watched_count && count < capacity; slot++) {
		if (watched[slot].fd >= 0 && watched[slot].revents) {
			events[count].connection = watched[slot].fd;
			events[count].kind = NET_READABLE;
			count++;
		}
	}
	if (watched[0].revents & POLLIN)
		accept_all(events, capacity, &count);
	return count;
}

long net_read(int connection, char *buffer, size_t capacity)
{
	ssize_t got;

	do
		got = read(connection, buffer, capacity);
	while (got < 0 && errno == EINTR);
	return (long)got;
}

int net_write(int connection, const char *buffer, size_t length)
{
	while (length > 0) {
		ssize_t sent = send(connection, buffer, length, MSG_NOSIGNAL);

		if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd writable = { connection, POLLOUT, 0 };

			if (poll(&writable, 1, 5000) <= 0)
				return -1;
			continue;
		}
		if (sent <= 0)
			return -1;
		buffer += sent;
		length -= (size_t)sent;
	}
	return 0;
}

int net_finish(int connection)
{
	for (int slot = 1; slot < watched_count; slot++)
		if (watched[slot].fd == connection)
			return shutdown(connection, SHUT_WR);
	errno = EBADF;
	return -1;
}

void net_close(int connection)
{
	for (int slot = 1; slot < watched_count; slot++) {
		if (watched[slot].fd == connection) {
			watched[slot].fd = -1;
			close(connection);
		}
	}
	while (watched_count > 1 && watched[watched_count - 1].fd < 0)
		watched_count--;
}

void net_shutdown(void)
{
	for (int slot = 0; slot < watched_count; slot++)
		if (watched[slot].fd >= 0)
			close(watched[slot].fd);
	watched_count = 0;
}
