
void *flexc_dss_alloc(size_t size)
{
	return malloc(size);
}

void flexc_dss_release(void *slot)
{
	free(*(void **)slot);
}
