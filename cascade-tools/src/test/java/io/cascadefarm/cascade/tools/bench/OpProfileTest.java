package io.cascadefarm.cascade.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Parsing of libtorch's Chrome trace: nesting, memory text. */
class OpProfileTest {
  @Test
  void countsNestedAndTopLevelCallsAndTheirMemory() throws Exception {
    String trace =
        """
        [{"name":"aten::matmul","ph":"X","ts":10,"dur":50,"tid":1,"cpu mem":"16.00 Kb"},
         {"name":"aten::mm","ph":"X","ts":12,"dur":40,"tid":1,"cpu mem":"16.00 Kb"},
         {"name":"aten::add","ph":"X","ts":70,"dur":5,"tid":1,"cpu mem":"1.50 Mb"},
         {"name":"aten::empty","ph":"X","ts":80,"dur":1,"tid":1,"cpu mem":"-4 b"}]""";
    OpProfile p = OpProfile.parse(new ObjectMapper().readTree(trace));
    assertEquals(4, p.ops());
    assertEquals(3, p.topLevelOps());
    assertEquals(16 * 1024 + (long) (1.5 * 1048576), p.allocatedBytes());
  }

  @Test
  void memoryTextUnits() {
    assertEquals(0, OpProfile.memoryBytes("0 b"));
    assertEquals(2048, OpProfile.memoryBytes("2.00 Kb"));
    assertEquals(3L << 30, (long) OpProfile.memoryBytes("3.00 Gb"));
    assertEquals(0, OpProfile.memoryBytes("garbage"));
  }

  @Test
  void flavorIsReadFromDjlsNativeDirectory() {
    assertEquals("cpu", EngineFacts.flavor("/c/pytorch/2.7.1-20250812-cpu-linux-x86_64"));
    assertEquals("cu126", EngineFacts.flavor("/c/pytorch/2.7.1-cu126-linux-x86_64"));
  }
}
