package org.arbor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to dtype, shape and [begin, end) byte offsets into the data that follows,
 * padded with spaces to 8 bytes, then the raw little-endian tensor bytes, contiguous, in header
 * order. Written sorted by name with {"__metadata__": {"format": "pt"}}; read by memory mapping,
 * converting F16/BF16 to float32 once.
 */
public final class SafeTensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafeTensors() {}

  /** Writes float32 tensors. */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    TreeMap<String, NDArray> sorted = new TreeMap<>(tensors);
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, NDArray> e : sorted.entrySet()) {
      NDArray a = e.getValue();
      if (a.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' is " + a.getDataType() + ", expected float32");
      }
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : a.getShape().getShape()) {
        shape.add(d);
      }
      long bytes = a.getShape().size() * 4;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(h);
      for (int i = h.length; i < padded; i++) {
        out.write(' ');
      }
      for (NDArray a : sorted.values()) {
        ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes);
      }
    }
  }

  /** One tensor's header entry. */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {}

  /** The header of a safetensors file, in data order; errors name the file. */
  public static List<Entry> header(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return header(ch, file);
    }
  }

  private static List<Entry> header(FileChannel ch, Path file) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new IllegalArgumentException(file + ": too short for a safetensors file");
    }
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(len, 0);
    long n = len.flip().getLong();
    if (n <= 0 || n > size - 8 || n > 100_000_000) {
      throw new IllegalArgumentException(file + ": invalid safetensors header length " + n);
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    ch.read(hb, 8);
    JsonNode header;
    try {
      header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": safetensors header is not valid JSON");
    }
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode t = e.getValue();
      long[] shape = new long[t.path("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.path("shape").get(i).asLong();
      }
      entries.add(new Entry(e.getKey(), t.path("dtype").asText(), shape,
          t.path("data_offsets").path(0).asLong(), t.path("data_offsets").path(1).asLong()));
    }
    entries.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    long dataSize = size - 8 - n;
    for (Entry e : entries) {
      long elements = 1;
      for (long d : e.shape()) {
        elements *= d;
      }
      int width = width(e.dtype(), file, e.name());
      if (e.end() - e.begin() != elements * width || e.begin() < 0 || e.end() > dataSize) {
        throw new IllegalArgumentException(file + ": tensor '" + e.name() + "' has offsets [" + e.begin() + ", "
            + e.end() + ") that do not fit its shape or the file (truncated?)");
      }
    }
    return entries;
  }

  private static int width(String dtype, Path file, String name) {
    return switch (dtype) {
      case "F32", "I32" -> 4;
      case "F16", "BF16" -> 2;
      case "I64", "F64" -> 8;
      default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has unsupported dtype " + dtype);
    };
  }

  /** Reads every tensor as float32 into manager, in name order. */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      List<Entry> entries = header(ch, file);
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(len, 0);
      long dataStart = 8 + len.flip().getLong();
      for (Entry e : entries) {
        ByteBuffer raw = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin())
            .order(ByteOrder.LITTLE_ENDIAN);
        out.put(e.name(), toFloat32(raw, e, manager));
      }
    }
    TreeMap<String, NDArray> sorted = new TreeMap<>(out);
    return new LinkedHashMap<>(sorted);
  }

  private static NDArray toFloat32(ByteBuffer raw, Entry e, NDManager manager) {
    Shape shape = new Shape(e.shape());
    NDArray a;
    switch (e.dtype()) {
      case "F32" -> a = manager.create(raw, shape, DataType.FLOAT32);
      case "BF16" -> {
        // bfloat16 is the top half of a float32: widen in one pass, no intermediate copies.
        int n = raw.remaining() / 2;
        ByteBuffer f = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          f.putInt((raw.getShort(2 * i) & 0xFFFF) << 16);
        }
        a = manager.create(f.flip(), shape, DataType.FLOAT32);
      }
      case "F16" -> {
        int n = raw.remaining() / 2;
        ByteBuffer f = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          f.putFloat(halfToFloat(raw.getShort(2 * i)));
        }
        a = manager.create(f.flip(), shape, DataType.FLOAT32);
      }
      default -> throw new IllegalArgumentException("tensor '" + e.name() + "' has dtype " + e.dtype() + ", expected a float type");
    }
    a.setName(e.name());
    return a;
  }

  /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero)
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
