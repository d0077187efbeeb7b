package io.flexc.model;

/**
 * The one catalogue of everything flexc can report about its inputs: a stable code, a severity and
 * a message template whose {@code %s} arguments are filled in by {@link Diagnostic#of}.
 *
 * <p>Keeping the catalogue in one place makes messages consistent and lets tests and tools refer to
 * a problem by its code rather than by its wording.
 */
public enum DiagnosticKind {
  SYNTAX_ERROR("syntax", Severity.ERROR, "%s"),
  UNKNOWN_SECTION("unknown-section", Severity.ERROR, "unknown section [%s]; expected one of %s"),
  DUPLICATE_SECTION(
      "duplicate-section", Severity.ERROR, "duplicate section [%s]; it was already given at %s"),
  MISSING_SECTION("missing-section", Severity.ERROR, "missing section [%s]: %s"),
  UNKNOWN_PERMISSION(
      "unknown-permission", Severity.ERROR, "unknown permission '%s' in [%s]; expected %s"),
  MALFORMED_CALL_TARGET(
      "malformed-call-target",
      Severity.ERROR,
      "malformed call target '%s'; expected LIBRARY::SYMBOL, LIBRARY::*, X or XA"),
  DUPLICATE_API_SYMBOL(
      "duplicate-api-symbol",
      Severity.ERROR,
      "duplicate API symbol '%s'; it was already declared at %s"),
  MALFORMED_VALUE("malformed-value", Severity.ERROR, "%s"),
  UNKNOWN_CALL_LIBRARY(
      "unknown-call-library",
      Severity.ERROR,
      "[Call] names library '%s', which is not part of application '%s' (libraries: %s)"),
  UNEXPORTED_CALL_TARGET(
      "unexported-call-target",
      Severity.WARNING,
      "[Call] names %s::%s, but the [API] of '%s' does not export '%s'"),
  REDEFINED_MECHANISM(
      "redefined-mechanism", Severity.WARNING, "mechanism '%s' replaces the one defined by %s"),
  UNKNOWN_MECHANISM(
      "unknown-mechanism", Severity.ERROR, "unknown hardening mechanism '%s'; known: %s"),
  INEFFECTIVE_MECHANISM(
      "ineffective-mechanism",
      Severity.WARNING,
      "%s needs %s for its effect, but hardening does not allow %s; the solver will not apply it"),
  UNKNOWN_ROLE("unknown-role", Severity.ERROR, "unknown role '%s' in [Role]; known: %s"),
  UNKNOWN_LIBRARY("unknown-library", Severity.ERROR, "unknown library '%s'; the application has %s"),
  IGNORED_LIBRARY(
      "ignored-library",
      Severity.WARNING,
      "kraft.yaml places library '%s', which application '%s' does not have; it is ignored"),
  UNUSED_COMPARTMENT(
      "unused-compartment",
      Severity.WARNING,
      "compartment '%s' is declared but no library uses it; it is dropped"),
  UNKNOWN_KEY("unknown-key", Severity.ERROR, "unknown key '%s' in %s; expected one of %s"),
  MISSING_KEY("missing-key", Severity.ERROR, "missing key '%s' in %s"),
  BAD_CONFIG_VALUE("bad-config-value", Severity.ERROR, "%s"),
  MISSING_FILE("missing-file", Severity.ERROR, "%s does not exist: %s"),
  IO_ERROR("io-error", Severity.ERROR, "cannot read %s: %s"),
  API_PROTOTYPE_MISMATCH(
      "api-prototype-mismatch",
      Severity.ERROR,
      "the [API] prototype of %s, '%s', does not match the compiler's, '%s' (%s): %s"),
  MORE_DIAGNOSTICS("more-diagnostics", Severity.NOTE, "… %d more diagnostics");

  private final String code;
  private final Severity severity;
  private final String template;

  DiagnosticKind(String code, Severity severity, String template) {
    this.code = code;
    this.severity = severity;
    this.template = template;
  }

  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  String render(Object... arguments) {
    return String.format(template, arguments);
  }
}
