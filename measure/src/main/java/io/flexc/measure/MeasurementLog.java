package io.flexc.measure;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
public final class MeasurementLog {

  /** One configuration's row; a failed one has no throughput and says why in its status. */
  public record Measurement(
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

    public static final String OK = "ok";

    public Measurement {
      figures = Map.copyOf(figures);
    }

    public boolean succeeded() {
      return throughput.isPresent();
    }

    /**
     * The row as the CSV writer takes it: counts as integers, measured and predicted figures as
     * decimals with {@value #DECIMALS} places, text as strings (always quoted), and no throughput
     * as an empty field, so every row has the same shape whatever its values.
     */
    private List<Object> row() {
      List<Object> row = new ArrayList<>(List.of(id, configuration, compartments, hardenedLibraries, separatedPairs,
          hardeningSafety, decimal(predictedCost), status));
      row.add(throughput.isPresent() ? decimal(throughput.getAsDouble()) : null);
      row.add(figures.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> e.getKey() + "=" + decimal(e.getValue()).toPlainString()).collect(Collectors.joining(";")));
      row.add(decimal(buildSeconds));
      row.add(decimal(runSeconds));
      return row;
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

    private static final int DECIMALS = 3;

    private static BigDecimal decimal(double value) {
      return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN);
    }
  }

  private static final List<String> COLUMNS = List.of("id", "configuration", "compartments", "hardened_libraries",
      "separated_pairs", "hardening_safety", "predicted_cost", "status", "throughput", "figures", "build_seconds",
      "run_seconds");
  private static final CsvMapper CSV = new CsvMapper();
  private static final CsvSchema SCHEMA = schema();

  private final Path file;

  public MeasurementLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The rows written so far, in order; none when the file does not exist yet. */
  public List<Measurement> read() throws IOException {
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
  public void append(Measurement measurement) throws IOException {
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      if (fresh) {
        writer.write(String.join(",", COLUMNS) + "\n");
      }
      writer.write(measurement.row().stream().map(MeasurementLog::field).collect(Collectors.joining(",")) + "\n");
    }
  }

  /**
   * One field as RFC 4180 writes it, the same way in every row: text always quoted (a status or
   * a configuration may hold commas), numbers never, a missing value empty. Written here rather
   * than by Jackson's CSV generator, which quotes only the text that needs it and drops a null
   * element of a row instead of leaving its field empty.
   */
  private static String field(Object value) {
    return switch (value) {
      case null -> "";
      case BigDecimal decimal -> decimal.toPlainString();
      case Integer integer -> integer.toString();
      case String text -> '"' + text.replace("\"", "\"\"") + '"';
      default -> throw new IllegalArgumentException("not a CSV field: " + value);
    };
  }

  private static CsvSchema schema() {
    CsvSchema.Builder builder = CsvSchema.builder();
    COLUMNS.forEach(builder::addColumn);
    return builder.build();
  }
}
