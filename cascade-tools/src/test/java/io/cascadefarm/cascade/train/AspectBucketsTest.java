package io.cascadefarm.cascade.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Buckets, nearest bucket and resize size against the official Bucketeer (fixture buckets.json).
 */
class AspectBucketsTest {
  @Test
  void matchesTheOfficialBucketeer() throws Exception {
    JsonNode root = new ObjectMapper().readTree(TrainFixture.DIR.resolve("buckets.json").toFile());
    List<String> ratios = new ArrayList<>();
    root.get("ratios").forEach(r -> ratios.add(r.asText()));
    assertEquals(AspectBuckets.OFFICIAL_RATIOS, ratios);
    for (JsonNode c : root.get("cases")) {
      AspectBuckets b =
          new AspectBuckets(c.get("image_size").asInt(), c.get("factor").asInt(), ratios);
      assertEquals(c.get("sizes").size(), b.sizes().size());
      for (int i = 0; i < b.sizes().size(); i++) {
        assertEquals(c.get("ratios").get(i).asDouble(), b.ratios().get(i), 0.0);
        assertEquals(c.get("sizes").get(i).get(0).asInt(), b.sizes().get(i).height());
        assertEquals(c.get("sizes").get(i).get(1).asInt(), b.sizes().get(i).width());
      }
      for (JsonNode img : c.get("images")) {
        int h = img.get("h").asInt();
        int w = img.get("w").asInt();
        AspectBuckets.Size s = b.sizes().get(b.closest(h, w));
        String what = c.get("image_size") + " " + h + "x" + w;
        assertEquals(img.get("bucket").get(0).asInt(), s.height(), what);
        assertEquals(img.get("bucket").get(1).asInt(), s.width(), what);
        assertEquals(img.get("resize").asInt(), AspectBuckets.resizeSize(h, w, s), what);
      }
    }
  }
}
