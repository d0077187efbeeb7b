/* The program's entry: the seed's metadata names the application's entry point app_main. */
int app_main(void);

int main(void)
{
	return app_main();
}
