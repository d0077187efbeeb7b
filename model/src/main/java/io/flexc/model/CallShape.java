package io.flexc.model;

/**
 * How a call to a function is laid out under the System V x86-64 ABI, as the compiler saw the
 * function: what a gate that forwards argument registers and stack must know beyond the registers
 * themselves. Independent of how the prototype was spelled (K&R, export macros, typedef'd types).
 *
 * @param parameters the named parameters (a variadic function's fixed ones)
 * @param variadic whether calls may pass more arguments than {@code parameters}
 * @param fixedStackBytes the bytes of stack the named parameters take (those that do not fit the
 *     six integer and eight vector argument registers, and structures passed in memory)
 * @param resultInMemoryBytes the size of a result returned through a hidden pointer (a structure
 *     of class MEMORY, passed in {@code %rdi}); 0 when the result comes back in registers
 * @param resultOnX87 whether the result comes back on the x87 stack ({@code long double})
 */
public record CallShape(
    int parameters, boolean variadic, int fixedStackBytes, int resultInMemoryBytes, boolean resultOnX87) {

  public CallShape {
    if (parameters < 0 || fixedStackBytes < 0 || fixedStackBytes % 8 != 0 || resultInMemoryBytes < 0) {
      throw new IllegalArgumentException("call shape: " + parameters + " parameters, " + fixedStackBytes
          + " stack bytes, " + resultInMemoryBytes + " result bytes in memory");
    }
  }
}
