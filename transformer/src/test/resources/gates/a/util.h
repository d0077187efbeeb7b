int a_square(int x);
