/*
 * The transport's channel holders for tests whose threads never end without giving their channel
 * back: nothing to mark. Included by the test transports that do not test fork.
 */
void flexc_transport_holder_init(void *holder)
{
	(void)holder;
}

void flexc_transport_hold(void *holder)
{
	(void)holder;
}

void flexc_transport_let_go(void *holder)
{
	(void)holder;
}

int flexc_transport_holder_ended(void *holder)
{
	(void)holder;
	return 0;
}
