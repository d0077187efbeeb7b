/* flexc: the shared-memory runtime that the rewrites in this file use. */
extern void *flexc_shared_malloc(__SIZE_TYPE__ size);
extern void *flexc_shared_calloc(__SIZE_TYPE__ count, __SIZE_TYPE__ size);
extern void *flexc_shared_realloc(void *pointer, __SIZE_TYPE__ size);
extern void flexc_shared_free(void *pointer);
extern void *flexc_shared_alloc(__SIZE_TYPE__ size);
extern void flexc_shared_release(void *slot);
extern void *flexc_dss_alloc(__SIZE_TYPE__ size);
extern void flexc_dss_release(void *slot);

/*
 * kvstore: a small key-value server speaking enough RESP for redis-cli and redis-benchmark.
 * This file is the application: the connections' buffers, command dispatch and the event loop.
 * Listens on 127.0.0.1:$KVSTORE_PORT (default 6399); SIGTERM or SIGINT stops it cleanly.
 *
 * Every request gets a reply, whatever its clients do:
 * - Connections: MAX_CLIENTS slots. When all are taken, a new connection takes the slot of the one
 *   that has been quiet the longest, which is closed: idle or half-open connections cannot lock
 *   new clients out, and a client that spoke more recently than MAX_CLIENTS - 1 others keeps its
 *   connection.
 * - Sizes: values of up to VALUE_BYTES are stored and returned; a longer one gets an error reply
 *   and the connection goes on. A request that does not fit in INPUT_BYTES (a value of VALUE_BYTES
 *   with a key of up to a kilobyte does) gets an error reply, then the end of the stream; what the
 *   client still sends is read and dropped until it closes, so it reads the reply instead of a reset.
 * - Crashed compartments: under flexc's proc backend with FLEXC_PROC_ON_CRASH=fail-calls, a call
 *   into a compartment that died returns zero with errno ENOTRECOVERABLE (see crashed below). A
 *   request that needs the store or the script engine then gets an error reply, the others are
 *   served; if the protocol library is gone, each connection gets one error reply and its end;
 *   if the network library is gone, the server stops (exit status 1).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../net/net.h"
#include "../resp/resp.h"
#include "../script/script.h"
#include "../store/store.h"

/* FlexOS's annotation for memory other libraries are handed: flexc replaces it with its shared
 * allocator; compiled as is, it is the ordinary one. */
#define flexos_calloc_whitelist(count, size, library) calloc(count, size)
#define flexos_malloc_whitelist(size, library) malloc(size)

#define MAX_CLIENTS 256
#define VALUE_BYTES 16384
#define TEXT(number) #number
#define TEXT_OF(macro) TEXT(macro)
#define VALUE_TOO_LARGE "ERR value too large for this server (at most " TEXT_OF(VALUE_BYTES) " bytes)"
/* One request with a value of VALUE_BYTES and its key; any one reply (an ECHO of all of it). */
#define INPUT_BYTES (VALUE_BYTES + 1024)
#define OUTPUT_BYTES (INPUT_BYTES + 64)

#define STORE_CRASHED "ERR the store is unavailable: its compartment crashed"
#define SCRIPT_CRASHED "ERR the script engine has crashed; scripts are disabled"
#define PROTOCOL_CRASHED "ERR the protocol library is unavailable: its compartment crashed"

struct client {
	int connection; /* -1 when the slot is free */
	int closing; /* closed once its replies are sent */
	int finishing; /* its stream ended after the replies; what it sends is dropped until it closes */
	unsigned long long heard; /* the event count when it connected or last sent something */
	size_t input_used;
	size_t output_used;
	char input[INPUT_BYTES];
	char output[OUTPUT_BYTES];
};

/*
 * The connections' buffers are handed to the network and protocol libraries and the value buffer
 * to the store, by pointers the compiler cannot follow back to them: so they are allocated, once,
 * from the shared heap with FlexOS's annotation, which flexc turns into its shared allocator.
 */
static struct client *clients;
static char *value_buffer;
static unsigned long long events_seen;
/* Set when a store_get made for the script engine (script_get) found the store crashed. */
static int lookup_crashed;

static volatile sig_atomic_t stopping;

/*
 * Whether the call just made reached a compartment that crashed: flexc's proc backend with
 * FLEXC_PROC_ON_CRASH=fail-calls returns zero with errno ENOTRECOVERABLE then. No library of this
 * program sets that errno itself, and no other backend does (there, a crash ends the program).
 * errno travels with calls, both ways: callers clear it before the call.
 */
static int crashed(void)
{
	return errno == ENOTRECOVERABLE;
}

static void stop(int signal)
{
	(void)signal;
	stopping = 1;
}

static struct client *client_of(int connection)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].connection == connection)
			return &clients[i];
	return NULL;
}

static void flush(struct client *c)
{
	if (c->output_used > 0 && net_write(c->connection, c->output, c->output_used) != 0)
		c->closing = 1;
	c->output_used = 0;
}

/*
 * An error reply written here, without the protocol library: for when that library's compartment
 * crashed. Into the empty output buffer (OUTPUT_BYTES holds it); its length.
 */
static size_t unencoded_error(struct client *c, const char *text)
{
	size_t length = strlen(text);

	flush(c);
	c->output[0] = '-';
	memcpy(c->output + 1, text, length);
	memcpy(c->output + 1 + length, "\r\n", 2);
	return length + 3;
}

/* The reply is built by a resp_* call into the free end of the output buffer; when it does not
 * fit, the buffer is sent and the reply tried once more. Every reply fits in an empty buffer, so
 * a second failure means the protocol library crashed: the client still gets a reply. */
#define REPLY(c, call_with_out_capacity)                                                                   \
	do {                                                                                               \
		char *out = (c)->output + (c)->output_used;                                                \
		size_t capacity = OUTPUT_BYTES - (c)->output_used;                                         \
		size_t written = call_with_out_capacity;                                                   \
		if (written == 0) {                                                                        \
			flush(c);                                                                          \
			out = (c)->output;                                                                 \
			capacity = OUTPUT_BYTES;                                                           \
			written = call_with_out_capacity;                                                  \
		}                                                                                          \
		if (written == 0)                                                                          \
			written = unencoded_error(c, PROTOCOL_CRASHED);                                    \
		(c)->output_used += written;                                                               \
	} while (0)

/* Sends the replies, then the end of the stream; the client reads them instead of a reset. */
static void finish(struct client *c)
{
	flush(c);
	if (c->closing || net_finish(c->connection) != 0)
		c->closing = 1;
	c->finishing = 1;
}

static int is(const struct client *c, const struct resp_request *r, int i, const char *word)
{
	return r->length[i] == strlen(word) && strncasecmp(c->input + r->offset[i], word, r->length[i]) == 0;
}

static const char *argument(const struct client *c, const struct resp_request *r, int i)
{
	return c->input + r->offset[i];
}

extern __typeof__(store_get) flexc_gate_c0_store_get; /* flexc gate */
static void reply_value(struct client *c, const char *key, size_t key_length)
{
	long length;

	errno = 0;
	length = flexc_gate_c0_store_get(key, key_length, value_buffer, VALUE_BYTES);
	if (crashed())
		REPLY(c, resp_error(out, capacity, STORE_CRASHED));
	else if (length < 0)
		REPLY(c, resp_null(out, capacity));
	else if (length > (long)VALUE_BYTES)
		REPLY(c, resp_error(out, capacity, VALUE_TOO_LARGE));
	else
		REPLY(c, resp_bulk(out, capacity, value_buffer, (size_t)length));
}

static int parse_integer(const char *text, size_t length, long long *value)
{
	char digits[32];
	char *end;

	if (length == 0 || length >= sizeof digits)
		return -1;
	memcpy(digits, text, length);
	digits[length] = '\0';
	errno = 0;
	*value = strtoll(digits, &end, 10);
	return *end != '\0' || errno == ERANGE ? -1 : 0;
}

extern __typeof__(store_get) flexc_gate_c0_store_get; /* flexc gate */
static long long script_get(const char *key, size_t key_length)
{
	char (*flexc_shared_digits)[32] __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_digits));
	long length;
	long long value;

	errno = 0;
	length = flexc_gate_c0_store_get(key, key_length, (*flexc_shared_digits), sizeof (*flexc_shared_digits) - 1);
	if (crashed())
		lookup_crashed = 1;
	if (crashed() || length < 0 || length >= (long)sizeof (*flexc_shared_digits))
		return 0;
	return parse_integer((*flexc_shared_digits), (size_t)length, &value) == 0 ? value : 0;
}
/* flexc: a global name for static script_get, which compartment 2 calls back through a gate */
extern __typeof__(script_get) flexc_static_app_kvstore_script_get __attribute__((alias("script_get")));

extern __typeof__(store_increment) flexc_gate_c0_store_increment; /* flexc gate */
static void increment(struct client *c, const struct resp_request *r, long long delta)
{
	long long (*flexc_shared_result) __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_result));
	int status;

	errno = 0;
	status = flexc_gate_c0_store_increment(argument(c, r, 1), r->length[1], delta, &(*flexc_shared_result));
	if (crashed())
		REPLY(c, resp_error(out, capacity, STORE_CRASHED));
	else if (status != 0)
		REPLY(c, resp_error(out, capacity, "ERR value is not an integer or out of range"));
	else
		REPLY(c, resp_integer(out, capacity, (*flexc_shared_result)));
}

static void config_get(struct client *c, const struct resp_request *r)
{
	static const char *const settings[][2] = { { "save", "" }, { "appendonly", "no" } };
	long matches = 0;

	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		matches += is(c, r, 2, settings[i][0]) || is(c, r, 2, "*");
	REPLY(c, resp_array(out, capacity, matches * 2));
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		if (is(c, r, 2, settings[i][0]) || is(c, r, 2, "*")) {
			REPLY(c, resp_bulk(out, capacity, settings[i][0], strlen(settings[i][0])));
			REPLY(c, resp_bulk(out, capacity, settings[i][1], strlen(settings[i][1])));
		}
	}
}

/* SET key value, or MSET key value [key value ...]. */
extern __typeof__(store_set) flexc_gate_c0_store_set; /* flexc gate */
static void set(struct client *c, const struct resp_request *r)
{
	int full = 0;

	for (int i = 2; i < r->count; i += 2) {
		if (r->length[i] > VALUE_BYTES) {
			REPLY(c, resp_error(out, capacity, VALUE_TOO_LARGE));
			return;
		}
	}
	for (int i = 1; i < r->count; i += 2) {
		errno = 0;
		full |= flexc_gate_c0_store_set(argument(c, r, i), r->length[i], argument(c, r, i + 1), r->length[i + 1]) != 0;
		if (crashed()) {
			REPLY(c, resp_error(out, capacity, STORE_CRASHED));
			return;
		}
	}
	if (full)
		REPLY(c, resp_error(out, capacity, "OOM the store is full"));
	else
		REPLY(c, resp_simple(out, capacity, "OK"));
}

extern __typeof__(script_eval) flexc_gate_c0_script_eval; /* flexc gate */
extern __typeof__(script_get) flexc_gate_c2_flexc_static_app_kvstore_script_get; /* flexc gate */
static void evaluate(struct client *c, const struct resp_request *r)
{
	char (*flexc_shared_error)[128] __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_error));
	long long (*flexc_shared_result) __attribute__((cleanup(flexc_dss_release))) = flexc_dss_alloc(sizeof(*flexc_shared_result));
	int status;

	errno = 0;
	lookup_crashed = 0;
	status = flexc_gate_c0_script_eval(argument(c, r, 1), r->length[1], flexc_gate_c2_flexc_static_app_kvstore_script_get, &(*flexc_shared_result), (*flexc_shared_error), sizeof (*flexc_shared_error));
	/* A crash of the store that a get(key) of the script found travels back as errno too. */
	if (lookup_crashed)
		REPLY(c, resp_error(out, capacity, STORE_CRASHED));
	else if (crashed())
		REPLY(c, resp_error(out, capacity, SCRIPT_CRASHED));
	else if (status != 0)
		REPLY(c, resp_error(out, capacity, (*flexc_shared_error)));
	else
		REPLY(c, resp_integer(out, capacity, (*flexc_shared_result)));
}

extern __typeof__(store_delete) flexc_gate_c0_store_delete; /* flexc gate */
extern __typeof__(store_get) flexc_gate_c0_store_get; /* flexc gate */
extern __typeof__(store_size) flexc_gate_c0_store_size; /* flexc gate */
extern __typeof__(store_clear) flexc_gate_c0_store_clear; /* flexc gate */
static void dispatch(struct client *c, const struct resp_request *r)
{
	int n = r->count;

	if (n == 0)
		return;
	if (is(c, r, 0, "PING") && n <= 2) {
		if (n == 2)
			REPLY(c, resp_bulk(out, capacity, argument(c, r, 1), r->length[1]));
		else
			REPLY(c, resp_simple(out, capacity, "PONG"));
	} else if (is(c, r, 0, "ECHO") && n == 2) {
		REPLY(c, resp_bulk(out, capacity, argument(c, r, 1), r->length[1]));
	} else if ((is(c, r, 0, "SET") && n == 3) || (is(c, r, 0, "MSET") && n >= 3 && n % 2 == 1)) {
		set(c, r);
	} else if (is(c, r, 0, "GET") && n == 2) {
		reply_value(c, argument(c, r, 1), r->length[1]);
	} else if (is(c, r, 0, "MGET") && n >= 2) {
		REPLY(c, resp_array(out, capacity, n - 1));
		for (int i = 1; i < n; i++)
			reply_value(c, argument(c, r, i), r->length[i]);
	} else if ((is(c, r, 0, "DEL") || is(c, r, 0, "EXISTS")) && n >= 2) {
		long long count = 0;
		int failed = 0;

		for (int i = 1; i < n && !failed; i++) {
			errno = 0;
			count += is(c, r, 0, "DEL") ? flexc_gate_c0_store_delete(argument(c, r, i), r->length[i])
						    : flexc_gate_c0_store_get(argument(c, r, i), r->length[i], value_buffer, 0) >= 0;
			failed = crashed();
		}
		if (failed)
			REPLY(c, resp_error(out, capacity, STORE_CRASHED));
		else
			REPLY(c, resp_integer(out, capacity, count));
	} else if (is(c, r, 0, "INCR") && n == 2) {
		increment(c, r, 1);
	} else if (is(c, r, 0, "DECR") && n == 2) {
		increment(c, r, -1);
	} else if ((is(c, r, 0, "INCRBY") || is(c, r, 0, "DECRBY")) && n == 3) {
		long long delta;

		if (parse_integer(argument(c, r, 2), r->length[2], &delta) != 0)
			REPLY(c, resp_error(out, capacity, "ERR value is not an integer or out of range"));
		else
			increment(c, r, is(c, r, 0, "INCRBY") ? delta : -delta);
	} else if (is(c, r, 0, "DBSIZE") && n == 1) {
		long size;

		errno = 0;
		size = flexc_gate_c0_store_size();
		if (crashed())
			REPLY(c, resp_error(out, capacity, STORE_CRASHED));
		else
			REPLY(c, resp_integer(out, capacity, size));
	} else if ((is(c, r, 0, "FLUSHALL") || is(c, r, 0, "FLUSHDB")) && n == 1) {
		errno = 0;
		flexc_gate_c0_store_clear();
		if (crashed())
			REPLY(c, resp_error(out, capacity, STORE_CRASHED));
		else
			REPLY(c, resp_simple(out, capacity, "OK"));
	} else if (is(c, r, 0, "EVAL") && n >= 3) {
		evaluate(c, r);
	} else if (is(c, r, 0, "CONFIG") && n == 3 && is(c, r, 1, "GET")) {
		config_get(c, r);
	} else if (is(c, r, 0, "COMMAND")) {
		REPLY(c, resp_array(out, capacity, 0));
	} else if ((is(c, r, 0, "SELECT") && n == 2) || is(c, r, 0, "CLIENT")) {
		REPLY(c, resp_simple(out, capacity, "OK"));
	} else if (is(c, r, 0, "QUIT")) {
		REPLY(c, resp_simple(out, capacity, "OK"));
		c->closing = 1;
	} else {
		char message[96];

		snprintf(message, sizeof message, "ERR unknown command or wrong number of arguments for '%.*s'",
			 (int)(r->length[0] < 40 ? r->length[0] : 40), argument(c, r, 0));
		REPLY(c, resp_error(out, capacity, message));
	}
}

static void serve(struct client *c)
{
	long got = net_read(c->connection, c->input + c->input_used, INPUT_BYTES - c->input_used);
	struct resp_request request;
	size_t done = 0;

	if (got <= 0) {
		if (got == 0 || errno != EAGAIN)
			c->closing = 1;
		return;
	}
	c->heard = ++events_seen;
	if (c->finishing)
		return;
	c->input_used += (size_t)got;
	while (!c->closing && !c->finishing) {
		long used;

		errno = 0;
		used = resp_parse(c->input + done, c->input_used - done, &request);
		if (crashed()) {
			c->output_used += unencoded_error(c, PROTOCOL_CRASHED);
			finish(c);
		} else if (used < 0) {
			REPLY(c, resp_error(out, capacity, "ERR Protocol error"));
			finish(c);
		}
		if (used <= 0 || c->finishing)
			break;
		for (int i = 0; i < request.count; i++)
			request.offset[i] += done;
		dispatch(c, &request);
		done += (size_t)used;
	}
	if (!c->finishing && done == 0 && c->input_used == INPUT_BYTES) {
		REPLY(c, resp_error(out, capacity, "ERR request too large for this server"));
		finish(c);
	}
	if (c->finishing) {
		c->input_used = 0;
		return;
	}
	memmove(c->input, c->input + done, c->input_used - done);
	c->input_used -= done;
	flush(c);
}

/* A slot for a new connection: a free one, or else the one of the connection quiet the longest, closed. */
static struct client *slot_for_new_connection(void)
{
	struct client *quietest = &clients[0];

	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].connection < 0)
			return &clients[i];
		if (clients[i].heard < quietest->heard)
			quietest = &clients[i];
	}
	net_close(quietest->connection);
	return quietest;
}

extern __typeof__(store_size) flexc_gate_c0_store_size; /* flexc gate */
int main(void)
{
	const char *port_text = getenv("KVSTORE_PORT");
	int port = port_text ? atoi(port_text) : 6399;
	struct net_event events[64];
	struct sigaction action;
	long size;

	memset(&action, 0, sizeof action);
	action.sa_handler = stop;
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);
	signal(SIGPIPE, SIG_IGN);
	clients = flexc_shared_calloc(MAX_CLIENTS, sizeof *clients);
	value_buffer = flexc_shared_malloc(VALUE_BYTES);
	if (!clients || !value_buffer) {
		fprintf(stderr, "kvstore: no memory for the connections' buffers\n");
		return 1;
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].connection = -1;
	if (net_listen(port) < 0) {
		fprintf(stderr, "kvstore: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("kvstore: listening on 127.0.0.1:%d\n", port);
	fflush(stdout);
	while (!stopping) {
		int count;

		errno = 0;
		count = net_poll(events, 64, 200);
		if (crashed()) {
			fprintf(stderr, "kvstore: the network library's compartment crashed; stopping\n");
			return 1;
		}
		for (int i = 0; i < count; i++) {
			struct client *c;

			if (events[i].kind == NET_ACCEPTED) {
				c = slot_for_new_connection();
				c->connection = events[i].connection;
				c->closing = 0;
				c->finishing = 0;
				c->heard = ++events_seen;
				c->input_used = 0;
				c->output_used = 0;
				continue;
			}
			c = client_of(events[i].connection);
			if (!c)
				continue;
			serve(c);
			if (c->closing) {
				net_close(c->connection);
				c->connection = -1;
			}
		}
	}
	net_shutdown();
	errno = 0;
	size = flexc_gate_c0_store_size();
	if (crashed())
		printf("kvstore: stopped; the store had crashed\n");
	else
		printf("kvstore: stopped with %ld keys\n", size);
	return 0;
}
