#include <stdio.h>

#include "../fmt/fmt.h"

int main(void)
{
	char line[256];
	static const char name[] = "pointer";

	fmt_format(line, sizeof line, "int %d, double %.3f, string %s, char %c", 42, 2.5, name, 'x');
	puts(line);
	fmt_format(line, sizeof line, "%d %d %d %d %d %d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %s %ld",
		   1, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, "on the stack", 1234567890123L);
	puts(line);
	printf("sum3: %ld\n", fmt_sum3(40000000000L, 2, -1));
	printf("scale: %.2f\n", fmt_scale(3, 1.5));
	printf("mix: %.1f\n", fmt_mix(1, 2, 3, 4, 5, 6, 7, 8, 9, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5));
	return 0;
}
