package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cascade.net.effnet.AntialiasResize;
import io.cascadefarm.cascade.train.AspectBuckets;
import io.cascadefarm.cascade.train.LoraTrainer;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageRejectedException;
import io.cascadefarm.common.json.Json;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training batches of a dataset, as the official data path makes them: an endless shuffled
 * stream (a new permutation per epoch), each image assigned to the multi-aspect bucket nearest its
 * ratio (a random bucket with probability 0.05, {@code bucketeer_random_ratio}), resized so it
 * covers the bucket (bilinear, antialiased) and randomly cropped to it; a batch is the first {@code
 * n} images of the first bucket that holds {@code n} ({@code Bucketeer}). Every draw comes from the
 * job's seed, and the queue state is saved with checkpoints ({@link #state}), so a resumed job sees
 * the batches it would have seen.
 */
public final class TrainingData {
  /** Decodes with the farm's header checks (size, pixels, decode budget) before allocating. */
  private static final ImageCodec IMAGES = ImageCodec.standard();

  /** One sample: the encoded image and its caption. */
  public record Sample(byte[] image, String caption) {}

  private record Queued(int index, long cropSeed) {}

  private final List<Sample> samples;
  private final AspectBuckets buckets;
  private final long seed;
  private final Map<AspectBuckets.Size, List<Queued>> queues = new LinkedHashMap<>();
  private final int[] sizesH;
  private final int[] sizesW;
  private long epoch;
  private int pos;

  public TrainingData(List<Sample> samples, int imageSize, long seed) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("dataset: no images");
    }
    this.samples = List.copyOf(samples);
    this.buckets = AspectBuckets.official(imageSize);
    this.seed = seed;
    for (AspectBuckets.Size s : buckets.sizes()) {
      queues.putIfAbsent(s, new ArrayList<>());
    }
    sizesH = new int[samples.size()];
    sizesW = new int[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      BufferedImage img = decode(i);
      sizesH[i] = img.getHeight();
      sizesW[i] = img.getWidth();
    }
  }

  public int size() {
    return samples.size();
  }

  /** The next batch of {@code n} images (B, 3, H, W) in [0, 1] with captions, in {@code m}. */
  public LoraTrainer.Batch next(int n, NDManager m) {
    while (true) {
      for (Map.Entry<AspectBuckets.Size, List<Queued>> e : queues.entrySet()) {
        if (e.getValue().size() >= n) {
          List<Queued> take = new ArrayList<>(e.getValue().subList(0, n));
          e.getValue().subList(0, n).clear();
          return batch(e.getKey(), take, m);
        }
      }
      enqueueOne();
    }
  }

  private void enqueueOne() {
    int[] perm = permutation(epoch);
    int index = perm[pos];
    SplittableRandom r = new SplittableRandom(mix(seed, epoch, pos));
    int bucket =
        r.nextDouble() < 0.05
            ? r.nextInt(buckets.ratios().size())
            : buckets.closest(sizesH[index], sizesW[index]);
    queues.get(buckets.sizes().get(bucket)).add(new Queued(index, r.nextLong()));
    if (++pos == perm.length) {
      pos = 0;
      epoch++;
    }
  }

  private int[] permutation(long e) {
    int[] p = new int[samples.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    SplittableRandom r = new SplittableRandom(mix(seed, e, -1));
    for (int i = p.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static long mix(long a, long b, long c) {
    long h = a * 0x9E3779B97F4A7C15L;
    h ^= b + 0x632BE59BD9B4E019L + (h << 6) + (h >>> 2);
    h ^= c + 0x85EBCA77C2B2AE63L + (h << 6) + (h >>> 2);
    return h;
  }

  private LoraTrainer.Batch batch(AspectBuckets.Size size, List<Queued> items, NDManager m) {
    NDList parts = new NDList();
    List<String> captions = new ArrayList<>();
    for (Queued q : items) {
      parts.add(crop(q, size, m));
      captions.add(samples.get(q.index()).caption());
    }
    NDArray images = NDArrays.concat(parts, 0);
    images.attach(m);
    return new LoraTrainer.Batch(images, captions);
  }

  /** torchvision resize (shorter side, bilinear, antialias) then RandomCrop(size). */
  private NDArray crop(Queued q, AspectBuckets.Size size, NDManager m) {
    BufferedImage img = decode(q.index());
    int h = img.getHeight();
    int w = img.getWidth();
    NDArray x = m.create(chw(img), new Shape(1, 3, h, w));
    int shorter = AspectBuckets.resizeSize(h, w, size);
    int[] hw = AspectBuckets.resizedShape(h, w, shorter);
    NDArray resized = AntialiasResize.resize(x, hw[0], hw[1]);
    SplittableRandom r = new SplittableRandom(q.cropSeed());
    int top = r.nextInt(hw[0] - size.height() + 1);
    int left = r.nextInt(hw[1] - size.width() + 1);
    return resized.get(
        ":, :, " + top + ":" + (top + size.height()) + ", " + left + ":" + (left + size.width()));
  }

  private BufferedImage decode(int i) {
    try {
      return IMAGES.decode(samples.get(i).image());
    } catch (ImageRejectedException e) {
      if (e.reason() == ImageRejectedException.Reason.BUSY) {
        throw new IllegalStateException("dataset image " + i + ": " + e.getMessage(), e);
      }
      throw new IllegalArgumentException("dataset image " + i + " " + e.getMessage(), e);
    }
  }

  static float[] chw(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    float[] out = new float[3 * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        out[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
        out[h * w + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
        out[2 * h * w + y * w + x] = (rgb & 0xff) / 255f;
      }
    }
    return out;
  }

  /** The queue state (epoch, position, pending images per bucket) for a checkpoint. */
  public ObjectNode state() {
    ObjectNode s = Json.mapper().createObjectNode();
    s.put("epoch", epoch);
    s.put("pos", pos);
    ArrayNode qs = s.putArray("queues");
    for (List<Queued> q : queues.values()) {
      ArrayNode a = qs.addArray();
      for (Queued e : q) {
        a.addArray().add(e.index()).add(e.cropSeed());
      }
    }
    return s;
  }

  /** Restores {@link #state()}. */
  public void restore(JsonNode s) {
    epoch = s.get("epoch").asLong();
    pos = s.get("pos").asInt();
    int k = 0;
    for (List<Queued> q : queues.values()) {
      q.clear();
      for (JsonNode e : s.get("queues").get(k++)) {
        q.add(new Queued(e.get(0).asInt(), e.get(1).asLong()));
      }
    }
  }
}
