package io.flexc.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flexc.backends.CompartmentTrust;
import io.flexc.backends.IsolationBackend;
import io.flexc.model.Trust;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * flexc.yaml's {@code trust:} against one placement: each edge with the compartments its two
 * libraries ended in and what it does there. Trust never changes which libraries may share a
 * compartment (the solver places as without it); it reduces the owner's isolation from the reader
 * to write-protection (readableBy) or to none (writableBy), and has no effect when both libraries
 * share a compartment; on a backend that does not apply trust it changes nothing. Reports list
 * every edge; the runtime gets the edges across compartments it applies.
 */
public record DeclaredTrust(List<Edge> edges) {

  /**
   * One declared edge, placed: the owner's and the reader's compartments; {@code notAppliedBy}
   * names the backend when it does not apply trust (proc and mpk do).
   */
  public record Edge(Trust trust, int ownerCompartment, int readerCompartment, Optional<String> notAppliedBy) {

    public boolean hasEffect() {
      return ownerCompartment != readerCompartment;
    }

    /** What the edge does to the isolation of the owner from the reader, in the reports' words. */
    public String effect() {
      if (!hasEffect()) {
        return "no effect: both in compartment " + ownerCompartment;
      }
      if (notAppliedBy.isPresent()) {
        return "not applied by the " + notAppliedBy.get() + " backend: isolation unchanged";
      }
      return "isolation of " + trust.owner() + " from " + trust.reader() + " reduced to "
          + (trust.access() == Trust.Access.READ ? "write-protection" : "none");
    }
  }

  public DeclaredTrust {
    edges = List.copyOf(edges);
  }

  /** The edges of {@code trust} placed by {@code compartmentOf}, for a build on {@code backend}. */
  public static DeclaredTrust of(List<Trust> trust, Map<String, Integer> compartmentOf, IsolationBackend backend) {
    Optional<String> notApplied = backend.appliesTrust() ? Optional.empty() : Optional.of(backend.label());
    List<Edge> edges = new ArrayList<>();
    for (Trust edge : trust) {
      Integer owner = compartmentOf.get(edge.owner());
      Integer reader = compartmentOf.get(edge.reader());
      if (owner != null && reader != null) {
        edges.add(new Edge(edge, owner, reader, notApplied));
      }
    }
    return new DeclaredTrust(edges);
  }

  /** The edges between two compartments, one per pair (writable if any edge of the pair is). */
  public List<CompartmentTrust> acrossCompartments() {
    Map<List<Integer>, Boolean> writable = new LinkedHashMap<>();
    for (Edge edge : edges) {
      if (edge.hasEffect() && edge.notAppliedBy().isEmpty()) {
        writable.merge(List.of(edge.ownerCompartment(), edge.readerCompartment()),
            edge.trust().access() == Trust.Access.WRITE, Boolean::logicalOr);
      }
    }
    List<CompartmentTrust> across = new ArrayList<>();
    writable.forEach((pair, write) -> across.add(new CompartmentTrust(pair.get(0), pair.get(1), write)));
    return across;
  }

  /** report.json's {@code "trust"}: owner, reader, access and the effect, for each edge. */
  public void put(ObjectNode json) {
    if (edges.isEmpty()) {
      return;
    }
    ArrayNode list = json.putArray("trust");
    for (Edge edge : edges) {
      ObjectNode node = list.addObject();
      node.put("owner", edge.trust().owner());
      node.put("reader", edge.trust().reader());
      node.put("access", edge.trust().access().label());
      node.put("ownerCompartment", edge.ownerCompartment());
      node.put("readerCompartment", edge.readerCompartment());
      node.put("effect", edge.effect());
    }
  }

  /** A line per edge, for summary.txt and report.txt. */
  public void list(PrintWriter out) {
    for (Edge edge : edges) {
      Trust trust = edge.trust();
      out.println("trust: " + trust.owner() + " (compartment " + edge.ownerCompartment() + ") "
          + (trust.access() == Trust.Access.READ ? "readable" : "readable and writable") + " by " + trust.reader()
          + " (compartment " + edge.readerCompartment() + "): " + edge.effect());
    }
  }
}
