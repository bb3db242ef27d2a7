package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The port's forwards side by side with the official Stable Cascade code ({@code farm bench net
 * --official DIR}): a Python child ({@code tools/official-bench/official_bench.py}, Debian's torch)
 * builds the same network from {@link OfficialKwargs} with weights drawn like {@link
 * RandomWeightSource}'s, and the two sides' forwards alternate in one run (the order flips every
 * round), so that load on a shared machine hits both alike. Both compute with the same number of
 * intra-op threads (the port's, from libtorch; the child gets {@code torch.set_num_threads} and
 * {@code OMP_NUM_THREADS}/{@code OPENBLAS_NUM_THREADS}/{@code MKL_NUM_THREADS}). Wall time and CPU
 * time (user + system of each process, all threads: steadier on a shared host) are reported per
 * forward, with the ratio port / official.
 */
public final class OfficialComparison implements AutoCloseable {
  /** Where the generator script lives in the repository. */
  public static final String SCRIPT = "tools/official-bench/official_bench.py";

  private final Process process;
  private final BufferedReader in;
  private final Writer out;
  private final int threads;
  private final String hello;

  /** One case's figures: medians over the timed forwards, milliseconds per forward. */
  public record Row(
      String name,
      String shape,
      long portParams,
      long officialParams,
      double portWall,
      double officialWall,
      double portCpu,
      double officialCpu) {
    public double wallRatio() {
      return portWall / officialWall;
    }

    public double cpuRatio() {
      return portCpu / officialCpu;
    }
  }

  private OfficialComparison(Process process, int threads) throws IOException {
    this.process = process;
    this.threads = threads;
    this.in =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.hello = expect("HELLO");
  }

  /**
   * Starts the Python child. {@code python} is the interpreter (Debian's {@code /usr/bin/python3}
   * with python3-torch), {@code script} the generator script, {@code official} a directory with
   * {@code StableCascade/} (modules, gdf, core) and {@code pytorch-tools/}.
   */
  public static OfficialComparison start(Path python, Path script, Path official)
      throws IOException {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("official bench script not found: " + script);
    }
    ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch before the JNI is called
    int threads = JniUtils.getNumThreads();
    ProcessBuilder pb =
        new ProcessBuilder(
                python.toString(),
                script.toString(),
                "--official",
                official.toString(),
                "--threads",
                Integer.toString(threads))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    String n = Integer.toString(threads);
    pb.environment().put("OMP_NUM_THREADS", n);
    pb.environment().put("OPENBLAS_NUM_THREADS", n);
    pb.environment().put("MKL_NUM_THREADS", n);
    return new OfficialComparison(pb.start(), threads);
  }

  /** Finds {@link #SCRIPT} from the working directory upwards (null if absent). */
  public static Path findScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve(SCRIPT);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** The child's greeting: torch version and thread counts. */
  public String officialDescription() {
    return hello.substring("HELLO ".length());
  }

  public int threads() {
    return threads;
  }

  /**
   * Loads {@code c} on both sides, one warm-up forward each, then {@code repeat} forwards each,
   * alternating; call on a compute thread (not the JVM main thread, see {@link ComputeThread}).
   */
  public Row compare(BenchCase c, int repeat) throws IOException {
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be >= 1, was " + repeat);
    }
    try (NDManager weights = NDManager.newBaseManager();
        NDManager work = NDManager.newBaseManager()) {
      WeightBinder.bind(c.module(), new RandomWeightSource(c.module()), weights);
      send(
          String.format(
              Locale.ROOT,
              "load %s %s %d %d %d %s",
              c.name(),
              c.network(),
              c.batch(),
              c.height(),
              c.width(),
              OfficialKwargs.of(c)));
      long officialParams = Long.parseLong(expect("READY").split(" ")[2]);
      NetBench.forwardOnce(c, work);
      official(c);
      double[] portWall = new double[repeat];
      double[] portCpu = new double[repeat];
      double[] offWall = new double[repeat];
      double[] offCpu = new double[repeat];
      for (int i = 0; i < repeat; i++) {
        if (i % 2 == 1) {
          double[] o = official(c);
          offWall[i] = o[0];
          offCpu[i] = o[1];
        }
        long cpu0 = ProcessMemory.cpuMillis();
        portWall[i] = NetBench.forwardOnce(c, work);
        portCpu[i] = ProcessMemory.cpuMillis() - cpu0;
        if (i % 2 == 0) {
          double[] o = official(c);
          offWall[i] = o[0];
          offCpu[i] = o[1];
        }
      }
      return new Row(
          c.name(),
          c.describe(),
          c.parameters(),
          officialParams,
          median(portWall),
          median(offWall),
          median(portCpu),
          median(offCpu));
    } finally {
      for (var p : c.module().namedParameters().values()) {
        p.unbind();
      }
    }
  }

  private double[] official(BenchCase c) throws IOException {
    send("run " + c.name());
    String[] p = expect("RESULT").split(" ");
    return new double[] {Double.parseDouble(p[2]), Double.parseDouble(p[3])};
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private void send(String line) throws IOException {
    out.write(line);
    out.write('\n');
    out.flush();
  }

  private String expect(String tag) throws IOException {
    String line = in.readLine();
    if (line == null) {
      throw new IOException(
          "the official bench child ended (exit "
              + (process.isAlive() ? "?" : process.exitValue())
              + ") while "
              + tag
              + " was expected; see its error output above");
    }
    if (!line.startsWith(tag + " ")) {
      throw new IOException("official bench child: expected " + tag + ", got: " + line);
    }
    return line;
  }

  /** Markdown table of the rows. */
  public static void print(PrintStream out, List<Row> rows, int threads) {
    out.println(
        "| case | shape | params port / official | threads | port wall ms | official wall ms"
            + " | wall ratio port/official | port CPU ms | official CPU ms | CPU ratio"
            + " port/official |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      out.println(row(r, threads));
    }
  }

  /** One Markdown row. */
  public static String row(Row r, int threads) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %d / %d | %d | %.1f | %.1f | **%.2f** | %.0f | %.0f | **%.2f** |",
        r.name(),
        r.shape(),
        r.portParams(),
        r.officialParams(),
        threads,
        r.portWall(),
        r.officialWall(),
        r.wallRatio(),
        r.portCpu(),
        r.officialCpu(),
        r.cpuRatio());
  }

  @Override
  public void close() {
    try {
      send("quit");
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs every case; prints a row as each finishes, then the table. */
  public static List<Row> runAll(
      Path python, Path script, Path official, List<BenchCase> cases, int repeat, PrintStream out)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    try (OfficialComparison cmp = start(python, script, official)) {
      out.println(
          "official: "
              + cmp.officialDescription()
              + "; port: libtorch intra-op threads "
              + cmp.threads()
              + ", blocks "
              + io.cascadefarm.cascade.net.common.BlockScripts.mode().name().toLowerCase()
              + ", attention "
              + io.cascadefarm.cascade.nn.Attention.mode().name().toLowerCase());
      for (BenchCase c : cases) {
        System.err.printf("compare %s (%s) with the official code ...%n", c.name(), c.describe());
        Row r =
            ComputeThread.call(
                "bench-official-" + c.name(),
                () -> {
                  try {
                    return cmp.compare(c, repeat);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        rows.add(r);
        out.println(row(r, cmp.threads()));
      }
      out.println();
      print(out, rows, cmp.threads());
    }
    return rows;
  }
}
