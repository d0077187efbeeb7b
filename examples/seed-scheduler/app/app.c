/*
 * The application: a producer thread sends numbered readings through the network stack and a
 * consumer thread receives them, both cooperative threads of the scheduler. Each turn the
 * producer sends up to three datagrams and the consumer takes up to two; the wire holds four, so
 * the consumer first finds it empty and the producer later finds it full. The main thread yields
 * round after round until both threads have finished. The output is the same on every backend.
 */
#include <errno.h>
#include <stdio.h>

#include "../netstack/netstack.h"
#include "../sched/sched.h"

#define READINGS 10
#define SENT_PER_TURN 3
#define RECEIVED_PER_TURN 2
/* A scheduler that never runs a thread ends the program instead of hanging it. */
#define MAX_ROUNDS 100

struct producer {
	int tid;
	int socket;
	int next_reading;
	int finished;
	int failed;
};

struct consumer {
	int tid;
	int socket;
	int received;
	long bytes;
	int finished;
	int failed;
};

static struct producer producer;
static struct consumer consumer;

static void finish(int tid, int *finished)
{
	*finished = 1;
	thread_remove(tid);
}

static void produce(void *state)
{
	struct producer *self = state;
	char datagram[32];

	for (int sent = 0; sent < SENT_PER_TURN && self->next_reading <= READINGS; sent++) {
		int length = snprintf(datagram, sizeof datagram, "reading %d", self->next_reading);

		if (send(self->socket, datagram, length, 0) < 0) {
			if (errno == EAGAIN) {
				printf("producer: wire full, %s waits\n", datagram);
				return;
			}
			perror("producer: send");
			self->failed = 1;
			finish(self->tid, &self->finished);
			return;
		}
		printf("producer: sent %s\n", datagram);
		self->next_reading++;
	}
	if (self->next_reading > READINGS) {
		printf("producer: done\n");
		finish(self->tid, &self->finished);
	}
}

static void consume(void *state)
{
	struct consumer *self = state;
	char datagram[32];

	for (int taken = 0; taken < RECEIVED_PER_TURN; taken++) {
		ssize_t length = recv(self->socket, datagram, sizeof datagram - 1, 0);

		if (length < 0) {
			if (errno == EAGAIN) {
				printf("consumer: nothing on the wire\n");
				return;
			}
			perror("consumer: recv");
			self->failed = 1;
			finish(self->tid, &self->finished);
			return;
		}
		datagram[length] = '\0';
		printf("consumer: received %s\n", datagram);
		self->bytes += length;
		if (++self->received == READINGS) {
			printf("consumer: done\n");
			finish(self->tid, &self->finished);
			return;
		}
	}
}

int app_main(void)
{
	int rounds = 0;

	producer.socket = socket(AF_INET, SOCK_DGRAM, 0);
	consumer.socket = socket(AF_INET, SOCK_DGRAM, 0);
	if (producer.socket < 0 || consumer.socket < 0) {
		perror("app: socket");
		return 1;
	}
	producer.next_reading = 1;
	consumer.tid = thread_add(consume, &consumer);
	producer.tid = thread_add(produce, &producer);
	if (consumer.tid < 0 || producer.tid < 0) {
		fprintf(stderr, "app: the scheduler could not start the threads\n");
		return 1;
	}
	printf("app: consumer is thread %d, producer thread %d\n", consumer.tid, producer.tid);
	while (!(producer.finished && consumer.finished) && rounds < MAX_ROUNDS) {
		printf("-- round %d\n", ++rounds);
		schedcoop_yield();
	}
	if (!(producer.finished && consumer.finished)) {
		fprintf(stderr, "app: the threads did not finish in %d rounds\n", MAX_ROUNDS);
		return 1;
	}
	printf("app: %d readings, %ld bytes, %d rounds\n", consumer.received, consumer.bytes, rounds);
	return producer.failed || consumer.failed;
}
