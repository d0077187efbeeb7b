package io.flexc.model;

import java.util.Arrays;
import java.util.List;

/** The sections of a hardening-mechanism definition file, in the order the printer writes them. */
public enum MechanismSection {
  MECHANISM("Mechanism"),
  DESCRIPTION("Description"),
  EFFECT("Effect"),
  NEEDS("Needs"),
  COST("Cost"),
  SAFETY("Safety"),
  FLAGS("Flags"),
  LINK_FLAGS("Link Flags");

  private final String title;

  MechanismSection(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }

  public static List<String> titles() {
    return Arrays.stream(values()).map(MechanismSection::title).toList();
  }
}
