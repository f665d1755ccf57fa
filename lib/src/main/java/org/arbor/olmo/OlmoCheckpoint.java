package org.arbor.olmo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.arbor.model.Checkpoint;
import org.arbor.model.SafeTensors;

/**
 * Loads a Hugging Face OLMo checkpoint directory: config.json (model_type olmo) and either one
 * model.safetensors or the shards listed in model.safetensors.index.json, with F32, F16 or BF16
 * tensors. Every header is checked before any data is read, so a wrong checkpoint fails at once
 * with the file and the tensor. Tensors are read shard by shard through one bounded staging buffer
 * and widened to float32 once, straight into the model's memory: the peak is the float32 model
 * plus one staging chunk, never a second full copy.
 */
public final class OlmoCheckpoint {
  public static final String INDEX = "model.safetensors.index.json";
  /**
   * Elements per staging chunk (64 MB as float32): OLMo-1B's MLP matrices fit whole, its embedding
   * (412 MB in float32) is read in pieces.
   */
  static final long STAGING_ELEMENTS = 16L << 20;

  private OlmoCheckpoint() {}

  /** Where one tensor lies: its file and its header entry. */
  record Located(Path file, SafeTensors.Entry entry, long dataStart) {}

  /** Loads dir into a sub-manager of manager. */
  public static OlmoModel read(Path dir, NDManager manager) throws IOException {
    return read(dir, manager, STAGING_ELEMENTS);
  }

  /** As {@link #read(Path, NDManager)} with a given staging chunk (tests force chunked reads). */
  static OlmoModel read(Path dir, NDManager manager, long stagingElements) throws IOException {
    OlmoConfig config = config(dir);
    Map<String, Located> tensors = locate(dir, config);
    NDManager m = manager.newSubManager();
    try {
      Map<String, NDArray> params = new LinkedHashMap<>();
      Staging staging = new Staging(stagingElements);
      FileChannel open = null;
      Path openFile = null;
      try {
        for (Map.Entry<String, Located> e : tensors.entrySet()) {
          Located t = e.getValue();
          if (!t.file().equals(openFile)) {
            if (open != null) {
              open.close();
            }
            open = FileChannel.open(t.file(), StandardOpenOption.READ);
            openFile = t.file();
          }
          NDArray a = readFloat32(open, t, staging, m);
          a.setName(e.getKey());
          params.put(e.getKey(), a);
        }
      } finally {
        if (open != null) {
          open.close();
        }
      }
      return new OlmoModel(config, m, params);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The config of an OLMo checkpoint directory; errors name the file. */
  public static OlmoConfig config(Path dir) throws IOException {
    Path file = dir.resolve(Checkpoint.CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": missing (not a checkpoint directory)");
    }
    return OlmoConfig.fromHuggingFaceJson(Files.readString(file), file.toString());
  }

  /**
   * Every parameter's file and header entry, in the config's order, after checking names, shapes and
   * dtypes against the config. A tied checkpoint may still carry lm_head.weight (transformers then
   * ties it to the embedding, and so does Arbor); rotary_emb.inv_freq buffers of old conversions are
   * recomputed and ignored.
   */
  static Map<String, Located> locate(Path dir, OlmoConfig config) throws IOException {
    Map<String, Path> files = weightFiles(dir);
    Map<String, Shape> expected = config.shapes();
    Map<String, Located> found = new TreeMap<>();
    Map<Path, Long> starts = new LinkedHashMap<>();
    for (Path f : new java.util.LinkedHashSet<>(files.values())) {
      starts.put(f, dataStart(f));
    }
    for (Path f : starts.keySet()) {
      for (SafeTensors.Entry e : SafeTensors.header(f)) {
        String name = e.name();
        if (name.endsWith("rotary_emb.inv_freq")) {
          continue;
        }
        if (!f.equals(files.get(name))) {
          if (files.containsKey(name)) {
            throw new IllegalArgumentException(f + ": tensor '" + name + "' is also here, but " + dir.resolve(INDEX)
                + " places it in " + files.get(name).getFileName());
          }
          // A single-file checkpoint maps every name to its file, so only a shard can get here.
          throw new IllegalArgumentException(f + ": tensor '" + name + "' is not listed in " + dir.resolve(INDEX));
        }
        boolean tiedHead = config.tied() && name.equals("lm_head.weight");
        Shape want = tiedHead ? new Shape(config.vocabSize(), config.hidden()) : expected.get(name);
        if (want == null) {
          String hint = name.endsWith("norm.weight") || name.endsWith("norm.bias")
              ? " (OLMo's LayerNorm has no parameters: is this a Llama checkpoint?)"
              : name.endsWith(".bias") ? " (OLMo has no biases)" : "";
          throw new IllegalArgumentException(f + ": unexpected tensor '" + name + "' for an OLMo checkpoint" + hint);
        }
        if (!new Shape(e.shape()).equals(want)) {
          throw new IllegalArgumentException(f + ": tensor '" + name + "' has shape " + new Shape(e.shape())
              + ", expected " + want + " from " + dir.resolve(Checkpoint.CONFIG));
        }
        if (!e.dtype().equals("F32") && !e.dtype().equals("BF16") && !e.dtype().equals("F16")) {
          throw new IllegalArgumentException(f + ": tensor '" + name + "' has dtype " + e.dtype() + ", expected F32, BF16 or F16");
        }
        if (!tiedHead) {
          found.put(name, new Located(f, e, starts.get(f)));
        }
      }
    }
    Map<String, Located> ordered = new LinkedHashMap<>();
    for (String name : expected.keySet()) {
      Located l = found.get(name);
      if (l == null) {
        Path where = files.containsKey(name) ? files.get(name) : weightsSource(dir);
        throw new IllegalArgumentException(where + ": missing tensor '" + name + "'");
      }
      ordered.put(name, l);
    }
    // Read file by file, in data order within each file: sequential reads, one file open at a time.
    Map<String, Located> byFile = new LinkedHashMap<>();
    ordered.entrySet().stream()
        .sorted((a, b) -> {
          int c = a.getValue().file().compareTo(b.getValue().file());
          return c != 0 ? c : Long.compare(a.getValue().entry().begin(), b.getValue().entry().begin());
        })
        .forEach(e -> byFile.put(e.getKey(), e.getValue()));
    return byFile;
  }

  private static Path weightsSource(Path dir) {
    Path single = dir.resolve(Checkpoint.WEIGHTS);
    return Files.isRegularFile(single) ? single : dir.resolve(INDEX);
  }

  /** Tensor name to file: every name of model.safetensors, or the index's weight_map. */
  static Map<String, Path> weightFiles(Path dir) throws IOException {
    Path single = dir.resolve(Checkpoint.WEIGHTS);
    Path index = dir.resolve(INDEX);
    Map<String, Path> files = new LinkedHashMap<>();
    if (Files.isRegularFile(single)) {
      for (SafeTensors.Entry e : SafeTensors.header(single)) {
        files.put(e.name(), single);
      }
      return files;
    }
    if (!Files.isRegularFile(index)) {
      throw new IllegalArgumentException(dir + ": neither " + Checkpoint.WEIGHTS + " nor " + INDEX + " (no weights)");
    }
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(index + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (!map.isObject() || map.size() == 0) {
      throw new IllegalArgumentException(index + ": key 'weight_map': missing or empty");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText("");
      Path f = dir.resolve(shard).normalize();
      if (shard.isEmpty() || !f.getParent().equals(dir.normalize()) || !Files.isRegularFile(f)) {
        throw new IllegalArgumentException(index + ": key 'weight_map." + e.getKey() + "': shard '" + shard
            + "' is not a file in " + dir);
      }
      files.put(e.getKey(), dir.resolve(shard));
    }
    return files;
  }

  private static long dataStart(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(len, 0);
      return 8 + len.flip().getLong();
    }
  }

  /** Reusable direct buffers for one chunk of rows: raw bytes, and bfloat16 widened to float32. */
  static final class Staging {
    private final long elements;
    ByteBuffer raw;
    ByteBuffer wide;

    Staging(long elements) {
      this.elements = elements;
    }

    /** Rows per chunk for rows of rowElements: at least one row. */
    long rows(long rowElements) {
      return Math.max(1, elements / rowElements);
    }

    ByteBuffer raw(long bytes) {
      if (raw == null || raw.capacity() < bytes) {
        raw = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      }
      raw.clear().limit((int) bytes);
      return raw;
    }

    ByteBuffer wide(long bytes) {
      if (wide == null || wide.capacity() < bytes) {
        wide = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      }
      wide.clear().limit((int) bytes);
      return wide;
    }
  }

  /**
   * One tensor as a float32 array in m, a chunk of whole rows at a time: F32 and F16 chunks are
   * viewed in place by libtorch (no copy) and copied or widened into the result; BF16 chunks (which
   * DJL cannot view) are widened here, a bfloat16 being the top half of a float32.
   */
  static NDArray readFloat32(FileChannel ch, Located t, Staging st, NDManager m) throws IOException {
    SafeTensors.Entry e = t.entry();
    Shape shape = new Shape(e.shape());
    int width = switch (e.dtype()) {
      case "F32" -> 4;
      case "BF16", "F16" -> 2;
      default -> throw new IllegalArgumentException(t.file() + ": tensor '" + e.name() + "' has dtype " + e.dtype());
    };
    long rows = shape.get(0);
    long rowElements = shape.size() / rows;
    long rowsPerChunk = st.rows(rowElements);
    Shape rowShape = shape.slice(1);
    NDArray out = rows <= rowsPerChunk ? null : m.create(shape, DataType.FLOAT32);
    for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
      long n = Math.min(rowsPerChunk, rows - r0);
      ByteBuffer raw = st.raw(n * rowElements * width);
      long pos = t.dataStart() + e.begin() + r0 * rowElements * width;
      while (raw.hasRemaining()) {
        int got = ch.read(raw, pos);
        if (got < 0) {
          throw new IllegalArgumentException(t.file() + ": tensor '" + e.name() + "': file ends inside its data (truncated?)");
        }
        pos += got;
      }
      raw.flip();
      Shape chunkShape = new Shape(n).addAll(rowShape);
      try (NDManager s = m.newSubManager()) {
        NDArray f;
        if (e.dtype().equals("BF16")) {
          ByteBuffer wide = st.wide(n * rowElements * 4);
          java.nio.ShortBuffer in = raw.asShortBuffer();
          java.nio.IntBuffer o = wide.asIntBuffer();
          for (int i = 0, k = in.remaining(); i < k; i++) {
            o.put(i, (in.get(i) & 0xFFFF) << 16);
          }
          f = s.create(wide, chunkShape, DataType.FLOAT32).duplicate();
        } else if (e.dtype().equals("F16")) {
          f = s.create(raw, chunkShape, DataType.FLOAT16).toType(DataType.FLOAT32, false);
        } else {
          f = s.create(raw, chunkShape, DataType.FLOAT32).duplicate();
        }
        if (out == null) {
          // The whole tensor was one chunk: its copy in libtorch's own (aligned) memory is the result.
          f.attach(m);
          return f;
        }
        out.set(new NDIndex("{}:{}", r0, r0 + n), f);
      }
    }
    return out;
  }
}
