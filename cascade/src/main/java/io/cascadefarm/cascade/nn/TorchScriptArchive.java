package io.cascadefarm.cascade.nn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} produces, and what libtorch's {@code
 * torch::jit::load} and DJL's {@code JniUtils.loadModule} read) from TorchScript source text, with
 * no Python: a zip of {@code <root>/code/__torch__.py} (the module's class in TorchScript's
 * serialized source form: libtorch compiles it when loading), {@code <root>/version}, {@code
 * <root>/constants.pkl} (an empty tuple) and {@code <root>/data.pkl}, a protocol-2 pickle that
 * creates the object of class {@code __torch__.<class>} with {@code training = False} and one empty
 * {@code List[Tensor]} per named attribute. The layout and the pickle bytes were checked against an
 * archive saved by {@code torch.jit.script(m).save} (torch 1.13); the archive holds no tensor data,
 * so no record alignment is needed.
 */
public final class TorchScriptArchive {
  /** The serialization format version written (torch 1.13 writes 3; libtorch 2.7 reads it). */
  static final String VERSION = "3\n";

  private TorchScriptArchive() {}

  /**
   * The archive bytes: {@code className} (a Python identifier) defined in {@code source}, with the
   * given empty tensor-list attributes (which the source must declare as {@code name :
   * List[Tensor]}).
   */
  public static byte[] write(String className, String source, List<String> tensorLists) {
    String root = className.toLowerCase(java.util.Locale.ROOT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, root + "/data.pkl", dataPickle(className, tensorLists));
      stored(zip, root + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      stored(zip, root + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, root + "/version", VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L); // 1980-01-01, as torch writes
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /**
   * {@code __torch__.<cls>()} with state {@code {training: False, <list>: build_tensorlist([])}}:
   * PROTO 2, GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, (BINUNICODE key, value)*, SETITEMS,
   * BUILD, STOP.
   */
  static byte[] dataPickle(String cls, List<String> tensorLists) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);
    p.write(2);
    global(p, "__torch__", cls);
    p.write(')');
    p.write(0x81); // NEWOBJ
    p.write('}');
    p.write('(');
    unicode(p, "training");
    p.write(0x89); // NEWFALSE
    for (String name : tensorLists) {
      unicode(p, name);
      global(p, "torch.jit._pickle", "build_tensorlist");
      p.write('(');
      p.write(']');
      p.write('t'); // TUPLE of the marked items: ([],)
      p.write('R'); // REDUCE
    }
    p.write('u'); // SETITEMS
    p.write('b'); // BUILD
    p.write('.');
    return p.toByteArray();
  }

  private static void global(ByteArrayOutputStream p, String module, String name) {
    p.write('c');
    byte[] text = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
    p.write(text, 0, text.length);
  }

  private static void unicode(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.write(b.length & 0xff);
    p.write((b.length >> 8) & 0xff);
    p.write((b.length >> 16) & 0xff);
    p.write((b.length >> 24) & 0xff);
    p.write(b, 0, b.length);
  }
}
