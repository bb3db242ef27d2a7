package io.cascadefarm.db;

import static io.cascadefarm.db.SqlCalls.prepare;
import static io.cascadefarm.db.SqlCalls.update;

import io.cascadefarm.common.port.WorkerModels;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The PostgreSQL {@link WorkerModels}: the {@code worker_models} table (V51). */
public final class WorkerModelTable implements WorkerModels {
  private final Transactions tx;

  public WorkerModelTable(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
  }

  @Override
  public void report(List<Report> reports) {
    if (reports.isEmpty()) {
      return;
    }
    List<Report> sorted = new ArrayList<>(reports);
    sorted.sort(
        java.util.Comparator.comparing(Report::worker).thenComparing(Report::model)); // lock order
    tx.inTx(
        "report worker models",
        c -> {
          for (Report r : sorted) {
            update(
                c,
                "INSERT INTO worker_models (worker, model, loaded, weights_present, precision,"
                    + " device, load_millis, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (worker, model) DO UPDATE SET loaded = EXCLUDED.loaded,"
                    + " weights_present = EXCLUDED.weights_present,"
                    + " precision = EXCLUDED.precision, device = EXCLUDED.device,"
                    + " load_millis = COALESCE(EXCLUDED.load_millis, worker_models.load_millis),"
                    + " updated_at = EXCLUDED.updated_at",
                r.worker(),
                r.model(),
                r.loaded(),
                r.weightsPresent(),
                r.precision(),
                r.device(),
                r.loadMillis(),
                r.updatedAt().truncatedTo(ChronoUnit.MICROS));
          }
          return null;
        });
  }

  @Override
  public List<Report> seenSince(Instant since) {
    return tx.inTx(
        "read worker models",
        c -> {
          List<Report> out = new ArrayList<>();
          try (PreparedStatement ps =
                  prepare(
                      c,
                      "SELECT * FROM worker_models WHERE updated_at >= ? ORDER BY model, worker",
                      since);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long ms = rs.getLong("load_millis");
              Long load = rs.wasNull() ? null : ms;
              out.add(
                  new Report(
                      rs.getString("worker"),
                      rs.getString("model"),
                      rs.getBoolean("loaded"),
                      rs.getBoolean("weights_present"),
                      rs.getString("precision"),
                      rs.getString("device"),
                      load,
                      JobRows.instant(rs, "updated_at")));
            }
          }
          return out;
        });
  }
}
