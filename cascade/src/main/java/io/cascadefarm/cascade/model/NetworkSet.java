package io.cascadefarm.cascade.model;

import io.cascadefarm.cascade.net.clip.ClipTextModel;
import io.cascadefarm.cascade.net.clip.ClipVisionModel;
import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;
import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Module;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The declared (weightless) networks of a variant, keyed by the file each is loaded from. */
final class NetworkSet {
  final StageC stageC;
  final StageB stageB;
  final StageA stageA;
  final Previewer previewer;
  final EfficientNetEncoder effnet;
  final ClipTextModel text;
  final ClipVisionModel vision;

  NetworkSet(NetworkConfigs c) {
    stageC = new StageC(c.stageC());
    stageB = new StageB(c.stageB());
    stageA = new StageA(c.stageA());
    previewer = new Previewer(c.previewer());
    effnet = new EfficientNetEncoder(c.effnet());
    text = new ClipTextModel(c.text());
    vision = new ClipVisionModel(c.vision());
  }

  /** Each network with the file of {@code layout} it is stored in ({@code lite} picks B/C). */
  Map<Path, Module> byFile(ModelLayout layout, boolean lite) {
    Map<Path, Module> m = new LinkedHashMap<>();
    m.put(layout.stageC(lite), stageC);
    m.put(layout.stageB(lite), stageB);
    m.put(layout.stageA(), stageA);
    m.put(layout.previewer(), previewer);
    m.put(layout.effnet(), effnet);
    m.put(layout.textEncoder(), text);
    m.put(layout.imageEncoder(), vision);
    return m;
  }
}
