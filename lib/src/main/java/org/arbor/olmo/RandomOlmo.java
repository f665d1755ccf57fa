package org.arbor.olmo;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import org.arbor.model.Checkpoint;
import org.arbor.random.Rng;

/**
 * Writes an OLMo checkpoint with random weights N(0, std^2) (config.json and one model.safetensors,
 * F32 or BF16), streaming tensor by tensor so that a true-size OLMo-1B is made locally in a few
 * megabytes of memory, without a download. Values come from (seed, tensor index), so the same
 * arguments write the same bytes.
 */
public final class RandomOlmo {
  private static final long PURPOSE = 0x4F4C4D4FL; // "OLMO"

  private RandomOlmo() {}

  /** Writes config.json and model.safetensors into dir (created if absent); dtype "F32" or "BF16". */
  public static void write(Path dir, OlmoConfig config, String dtype, double std, long seed) throws IOException {
    int width = switch (dtype) {
      case "F32" -> 4;
      case "BF16" -> 2;
      default -> throw new IllegalArgumentException("dtype must be F32 or BF16, got " + dtype);
    };
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(Checkpoint.CONFIG), config.toHuggingFaceJson(width == 4 ? "float32" : "bfloat16"));
    Map<String, Shape> tensors = new TreeMap<>(config.shapes());
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Shape> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", dtype);
      var shape = t.putArray("shape");
      for (long d : e.getValue().getShape()) {
        shape.add(d);
      }
      long bytes = e.getValue().size() * width;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    Path tmp = dir.resolve(Checkpoint.WEIGHTS + ".partial");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(h);
      while (head.hasRemaining()) {
        head.put((byte) ' ');
      }
      writeFully(out, head.flip());
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
      // Tensor ids follow the config's order, so a tensor's values do not depend on the file's order.
      Map<String, Integer> ids = new java.util.HashMap<>();
      int id = 0;
      for (String name : config.shapes().keySet()) {
        ids.put(name, id++);
      }
      for (Map.Entry<String, Shape> e : tensors.entrySet()) {
        Rng rng = new Rng(seed, PURPOSE, ids.get(e.getKey()));
        for (long i = 0, n = e.getValue().size(); i < n; i++) {
          if (buf.remaining() < width) {
            writeFully(out, buf.flip());
            buf.clear();
          }
          float v = (float) (rng.nextGaussian() * std);
          if (width == 4) {
            buf.putFloat(v);
          } else {
            buf.putShort(toBf16(v));
          }
        }
      }
      writeFully(out, buf.flip());
    }
    Files.move(tmp, dir.resolve(Checkpoint.WEIGHTS), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** float32 to bfloat16 by round-to-nearest-even (as torch's .to(torch.bfloat16)); NaN stays NaN. */
  public static short toBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    if (Float.isNaN(v)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    int rounding = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + rounding) >>> 16);
  }
}
