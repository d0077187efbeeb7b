package io.flexc.backends;

import io.flexc.model.Gate;
import io.flexc.transformer.source.CLexer;
import io.flexc.transformer.source.CToken;
import java.util.ArrayList;
import java.util.List;

/**
 * The output model of mpk's private-stack gates (laid out by mpk/mpk.stg): per callee function a
 * frame (its arguments and result) and a thunk that unpacks it in the callee's compartment; per
 * gate a stub that fills a frame on the thread's shadow stack and crosses with {@code
 * FLEXC_MPK_CROSS}. The header and runtime parts that keep one stack per thread and compartment
 * are in the same templates.
 */
final class PrivateStackStub {

  private PrivateStackStub() {}

  /** The frame of {@code struct flexc_frame_F} and {@code flexc_thunk_F}, once per callee function. */
  static Thunk frameAndThunk(String function, StubSignature signature) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < signature.parameterNames().size(); i++) {
      members.add(member(signature.parameterDeclarations().get(i), signature.parameterNames().get(i)));
    }
    if (signature.returnsValue()) {
      members.add(signature.resultVariable());
    }
    return new Thunk(function, signature.declaration(function), members, signature.returnsValue(),
        signature.parameterNames());
  }

  /** The stub that callers in {@code gate}'s caller compartment call instead of the function. */
  static PrivateGate gate(Gate gate, StubSignature signature) {
    return new PrivateGate(gate.callerCompartment(), gate.calleeCompartment(), gate.function(),
        signature.declaration(gate.name()), signature.returnsValue() || !signature.parameterNames().isEmpty(),
        signature.returnsValue() ? signature.resultVariable() : null, signature.parameterNames());
  }

  /** A callee's frame members (empty: no frame) and the thunk's call of it with the frame's arguments. */
  record Thunk(String function, String declaration, List<String> members, boolean result, List<String> arguments) {}

  /** A gate that crosses with a frame ({@code framed}) or without; result is flexc_result's declaration or null. */
  record PrivateGate(int caller, int callee, String function, String gateDeclaration, boolean framed, String result,
      List<String> arguments) {}

  /**
   * A parameter's declaration as a frame member: an array parameter becomes the pointer it is
   * ({@code char name[16]} as {@code char (*name)}), and a top-level {@code const} is dropped so
   * the stub can fill the member in ({@code char *const p} as {@code char *p}).
   */
  static String member(String declaration, String name) {
    List<CToken> tokens = CLexer.tokenize(declaration);
    int nameAt = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).is(name)) {
        nameAt = i;
      }
    }
    boolean functionPointer = declaration.contains("(");
    boolean array = nameAt >= 0 && nameAt + 1 < tokens.size() && tokens.get(nameAt + 1).is("[");
    int lastStar = -1;
    for (int i = 0; i < nameAt; i++) {
      if (tokens.get(i).is("*")) {
        lastStar = i;
      }
    }
    StringBuilder member = new StringBuilder();
    int end = 0;
    for (int i = 0; i < tokens.size(); i++) {
      CToken token = tokens.get(i);
      boolean topLevelConst = token.is("const") && i > lastStar && i < nameAt && !functionPointer && !array;
      if (topLevelConst) {
        member.append(declaration, end, token.offset());
        end = token.end();
        while (end < declaration.length() && declaration.charAt(end) == ' ') {
          end++;
        }
      } else if (i == nameAt && array && !functionPointer) {
        member.append(declaration, end, token.offset()).append("(*").append(name).append(')');
        int depth = 0;
        int j = i + 1;
        for (; j < tokens.size(); j++) {
          depth += tokens.get(j).is("[") ? 1 : tokens.get(j).is("]") ? -1 : 0;
          if (depth == 0) {
            break;
          }
        }
        end = tokens.get(Math.min(j, tokens.size() - 1)).end();
        i = j;
      }
    }
    return member.append(declaration.substring(end)).toString().strip();
  }
}
