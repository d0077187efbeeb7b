package io.flexc.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The CSV of a measured exploration, one row per configuration, appended as each measurement
 * ends so an interrupted exploration resumes where it stopped: a configuration with a row is not
 * measured again.
 */
final class MeasurementLog {

  /** One configuration's row; a failed one has no throughput and says why in its status. */
  record Measurement(
      int id,
      String configuration,
      int compartments,
      int hardenedLibraries,
      int separatedPairs,
      int hardeningSafety,
      double predictedCost,
      String status,
      OptionalDouble throughput,
      Map<String, Double> figures,
      double buildSeconds,
      double runSeconds) {

    static final String OK = "ok";

    Measurement {
      figures = Map.copyOf(figures);
    }

    boolean succeeded() {
      return throughput.isPresent();
    }

    private List<String> row() {
      return List.of(Integer.toString(id), configuration, Integer.toString(compartments),
          Integer.toString(hardenedLibraries), Integer.toString(separatedPairs), Integer.toString(hardeningSafety),
          format(predictedCost), status, throughput.isPresent() ? format(throughput.getAsDouble()) : "",
          figures.entrySet().stream().sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(";")),
          format(buildSeconds), format(runSeconds));
    }

    private static Measurement of(Map<String, String> row) {
      Map<String, Double> figures = new LinkedHashMap<>();
      for (String figure : row.get("figures").split(";")) {
        int equals = figure.indexOf('=');
        if (equals > 0) {
          figures.put(figure.substring(0, equals), Double.parseDouble(figure.substring(equals + 1)));
        }
      }
      String throughput = row.get("throughput");
      return new Measurement(Integer.parseInt(row.get("id")), row.get("configuration"),
          Integer.parseInt(row.get("compartments")), Integer.parseInt(row.get("hardened_libraries")),
          Integer.parseInt(row.get("separated_pairs")), Integer.parseInt(row.get("hardening_safety")),
          Double.parseDouble(row.get("predicted_cost")), row.get("status"),
          throughput.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(throughput)),
          figures, Double.parseDouble(row.get("build_seconds")), Double.parseDouble(row.get("run_seconds")));
    }

    private static String format(double value) {
      return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format("%.3f", value);
    }
  }

  private static final List<String> COLUMNS = List.of("id", "configuration", "compartments", "hardened_libraries",
      "separated_pairs", "hardening_safety", "predicted_cost", "status", "throughput", "figures", "build_seconds",
      "run_seconds");
  private static final CsvMapper CSV = new CsvMapper();
  private static final CsvSchema SCHEMA = schema();

  private final Path file;

  MeasurementLog(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The rows written so far, in order; none when the file does not exist yet. */
  List<Measurement> read() throws IOException {
    List<Measurement> measurements = new ArrayList<>();
    if (!Files.exists(file)) {
      return measurements;
    }
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(SCHEMA.withHeader()).readValues(file.toFile())) {
      while (rows.hasNext()) {
        measurements.add(Measurement.of(rows.next()));
      }
    } catch (RuntimeException malformed) {
      throw new IOException(file + " is not a measurement log flexc wrote: " + malformed.getMessage(), malformed);
    }
    return measurements;
  }

  /** Appends one row (and the header first, for a new file), flushed before returning. */
  void append(Measurement measurement) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      CSV.writer(fresh ? SCHEMA.withHeader() : SCHEMA).writeValue(writer, measurement.row());
    }
  }

  private static CsvSchema schema() {
    CsvSchema.Builder builder = CsvSchema.builder();
    COLUMNS.forEach(builder::addColumn);
    return builder.build();
  }
}
