package io.flexc.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.model.Configuration;
import io.flexc.solver.Cost;
import java.util.TreeSet;

/** The JSON shapes flexc prints, built with Jackson trees so key order is the order written here. */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code "assignment": {"lib": index}, "hardening": {"lib": [...]}} into {@code node}. */
  public static void putConfiguration(ObjectNode node, Configuration configuration) {
    ObjectNode assignment = node.putObject("assignment");
    configuration.compartmentOf().forEach(assignment::put);
    ObjectNode hardening = node.putObject("hardening");
    for (String library : configuration.compartmentOf().keySet()) {
      ArrayNode mechanisms = hardening.putArray(library);
      new TreeSet<>(configuration.hardeningOf(library)).forEach(mechanisms::add);
    }
  }

  /** {@code "cost": total, "cost_breakdown": {...}} into {@code node}. */
  public static void putCost(ObjectNode node, Cost cost) {
    node.put("cost", cost.total());
    ObjectNode breakdown = node.putObject("cost_breakdown");
    breakdown.put("hardening_points", cost.hardening());
    breakdown.put("gate_cycles", cost.gateCycles());
  }

  public static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
