package org.arbor.olmo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arbor.model.CausalLm;
import org.arbor.model.Hooks;
import org.arbor.model.Rope;

/**
 * OLMo (Groeneveld et al., 2024) with Hugging Face OlmoForCausalLM numerics, in NDArray operations:
 * token embedding; per block a LayerNorm without parameters (eps 1e-5), causal multi-head
 * attention whose q, k and v are clamped to [-clip_qkv, clip_qkv] (when set) before rotate-half
 * RoPE, a residual add, LayerNorm, a SwiGLU MLP and a residual add; a final LayerNorm and the
 * unembedding (the token embedding when tied). No biases. The hook points are exactly Llama's
 * ({@link Hooks}); final_norm.scale is the LayerNorm's 1/std per position.
 *
 * <p>Each block runs in its own scratch manager, so a 2048-token pass over OLMo-1B holds one
 * block's intermediates at a time: only the residual stream and the values handed to hooks
 * outlive their block (they move to the tokens' manager). Within a block, attention runs a group
 * of heads at a time and the MLP a block of rows at a time (unless a hook asks for the whole
 * attention pattern), so no temporary exceeds 16 MB at T = 2048.
 */
public final class OlmoModel implements CausalLm {
  private static final String EMBED = "model.embed_tokens.weight";
  /** Largest temporary the chunked attention and MLP make (below glibc's 32 MB mmap threshold). */
  static final long CHUNK_BYTES = 16L << 20;
  private final OlmoConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private long chunkBytes = CHUNK_BYTES;

  /** Takes ownership of manager and of float32 parameters already in it (see {@link OlmoCheckpoint}). */
  OlmoModel(OlmoConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A model over given tensors (copied to float32); names and shapes must be exactly config's. */
  public static OlmoModel of(OlmoConfig c, NDManager parent, Map<String, NDArray> tensors, String source) {
    Map<String, Shape> expected = c.shapes();
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException(source + ": unexpected tensor '" + name + "'");
      }
    }
    NDManager m = parent.newSubManager();
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray t = tensors.get(e.getKey());
      if (t == null || !t.getShape().equals(e.getValue())) {
        m.close();
        throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' "
            + (t == null ? "is missing" : "has shape " + t.getShape() + ", expected " + e.getValue()));
      }
      NDArray f = t.toType(DataType.FLOAT32, true);
      f.attach(m);
      f.setName(e.getKey());
      params.put(e.getKey(), f);
    }
    return new OlmoModel(c, m, params);
  }

  /** Sets the chunk size of attention and MLP (tests make it tiny to exercise the chunked paths). */
  void chunkBytes(long bytes) {
    this.chunkBytes = bytes;
  }

  public OlmoConfig config() {
    return config;
  }

  @Override
  public String kind() {
    return "olmo";
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public int hidden() {
    return config.hidden();
  }

  @Override
  public int layers() {
    return config.layers();
  }

  @Override
  public int heads() {
    return config.heads();
  }

  @Override
  public int maxPositions() {
    return config.maxPositions();
  }

  /** The parameters by Hugging Face name (no lm_head when tied). */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Tied checkpoints have no lm_head of their own: its name gives the embedding, as in transformers. */
  @Override
  public NDArray parameter(String name) {
    if (config.tied() && name.equals("lm_head.weight")) {
      return parameters.get(EMBED);
    }
    return parameters.get(name);
  }

  @Override
  public NDArray unembedding() {
    return parameter("lm_head.weight");
  }

  @Override
  public NDArray finalNorm(NDArray x, NDArray scale) {
    return x.sub(x.mean(new int[] {-1}, true)).mul(scale);
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public NDArray forward(NDArray tokens, Hooks hooks) {
    if (tokens.getShape().dimension() != 2) {
      throw new IllegalArgumentException("tokens must be [B, T], got " + tokens.getShape());
    }
    long b = tokens.getShape().get(0);
    int t = (int) tokens.getShape().get(1);
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + t + " tokens exceeds max_position_embeddings " + config.maxPositions());
    }
    NDManager m = tokens.getManager();
    NDArray ids = tokens.toType(DataType.INT64, false).reshape(-1);
    long lo = ids.min().getLong();
    long hi = ids.max().getLong();
    if (lo < 0 || hi >= config.vocabSize()) {
      throw new IllegalArgumentException("token ids must lie in [0, " + config.vocabSize() + "), got [" + lo + ", " + hi + "]");
    }
    NDArray x = local(parameters.get(EMBED).get(ids), m).reshape(b, t, config.hidden());
    x = hooks.at("embed", x);
    NDArray[] rope = Rope.tables(m, t, config.headDim(), config.ropeTheta());
    NDArray mask = causalMask(m, t);
    for (int l = 0; l < config.layers(); l++) {
      try (Scope s = new Scope(m, hooks)) {
        x = s.keep(block(l, s.borrow(x), rope, mask, s));
      }
    }
    NDArray centred = x.sub(x.mean(new int[] {-1}, true));
    NDArray scale = centred.square().mean(new int[] {-1}, true).add(OlmoConfig.NORM_EPS).pow(-0.5);
    scale = hooks.at("final_norm.scale", scale);
    NDArray logits = centred.mul(scale).matMul(local(unembedding().transpose(), m));
    return hooks.at("logits", logits);
  }

  private NDArray block(int l, NDArray x, NDArray[] rope, NDArray mask, Scope s) {
    String p = "model.layers." + l + ".";
    String hp = "blocks." + l + ".";
    x = s.at(hp + "resid_pre", x);
    NDArray a = attention(l, layerNorm(x), rope, mask, s);
    a = s.at(hp + "attn_out", a);
    x = s.at(hp + "resid_mid", x.add(a));
    NDArray mlp = s.at(hp + "mlp_out", mlp(p, layerNorm(x), s.scratch));
    return s.at(hp + "resid_post", x.add(mlp));
  }

  /**
   * SwiGLU down(silu(gate(n)) * up(n)), a block of rows at a time: the [rows, intermediate]
   * temporaries stay below CHUNK_BYTES, where the allocator reuses freed memory instead of mapping
   * (and page-faulting) fresh pages for every one of them.
   */
  private NDArray mlp(String p, NDArray n, NDManager m) {
    Shape shape = n.getShape();
    long rows = shape.size() / config.hidden();
    long block = Math.max(1, chunkBytes / (4L * config.intermediate()));
    NDArray flat = n.reshape(rows, config.hidden());
    NDArray gateT = weightT(p + "mlp.gate_proj.weight", m);
    NDArray upT = weightT(p + "mlp.up_proj.weight", m);
    NDArray downT = weightT(p + "mlp.down_proj.weight", m);
    NDList outs = new NDList();
    for (long r0 = 0; r0 < rows; r0 += block) {
      NDArray part = rows <= block ? flat : flat.get(new NDIndex("{}:{}", r0, Math.min(rows, r0 + block)));
      // Each temporary is closed as soon as it is used, so the next block reuses its memory.
      NDArray gate = part.matMul(gateT);
      NDArray sig = Activation.sigmoid(gate);
      NDArray silu = gate.mul(sig);
      gate.close();
      sig.close();
      NDArray up = part.matMul(upT);
      NDArray act = silu.mul(up);
      silu.close();
      up.close();
      outs.add(act.matMul(downT));
      act.close();
    }
    NDArray out = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
    return out.reshape(shape);
  }

  private NDArray attention(int l, NDArray x, NDArray[] rope, NDArray mask, Scope s) {
    String p = "model.layers." + l + ".self_attn.";
    String hp = "blocks." + l + ".attn.";
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.heads();
    int dh = config.headDim();
    NDArray q = x.matMul(weightT(p + "q_proj.weight", s.scratch));
    NDArray k = x.matMul(weightT(p + "k_proj.weight", s.scratch));
    NDArray v = x.matMul(weightT(p + "v_proj.weight", s.scratch));
    if (config.clips()) {
      // As OlmoAttention: each projection clamped before the heads are split and rotated.
      double c = config.clipQkv();
      q = q.clip(-c, c);
      k = k.clip(-c, c);
      v = v.clip(-c, c);
    }
    q = Rope.apply(heads(q, b, t), rope);
    k = Rope.apply(heads(k, b, t), rope);
    v = heads(v, b, t);
    q = q.mul(1.0 / Math.sqrt(dh));
    NDArray kT = k.transpose(0, 1, 3, 2);
    NDArray mixed; // [B, H, T, Dh]
    if (s.hooks.has(hp + "pattern")) {
      // The mask is added in place: a second [B, H, T, T] buffer is the largest transient.
      NDArray pattern = s.at(hp + "pattern", q.matMul(kT).addi(mask).softmax(-1));
      mixed = pattern.matMul(v);
    } else {
      // A group of heads at a time: scores stay below CHUNK_BYTES (one head at T = 2048), so a
      // long sequence never holds [B, H, T, T] and the allocator reuses the freed buffers.
      long group = Math.max(1, Math.min(h, chunkBytes / (4L * b * t * t)));
      NDList outs = new NDList();
      for (long h0 = 0; h0 < h; h0 += group) {
        NDIndex heads = new NDIndex(":, {}:{}", h0, Math.min(h, h0 + group));
        NDArray scores = group >= h ? q.matMul(kT) : q.get(heads).matMul(kT.get(heads));
        NDArray pattern = scores.addi(mask).softmax(-1);
        scores.close();
        outs.add(pattern.matMul(group >= h ? v : v.get(heads)));
        pattern.close();
      }
      mixed = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 1);
    }
    NDArray z = s.at(hp + "head_out", mixed.transpose(0, 2, 1, 3)); // [B, T, H, Dh]
    if (s.hooks.has(hp + "head_result")) {
      // Per-head contributions z_h Wo[:, h]^T: [B, T, H, D]; their sum over heads is the output.
      NDArray woHeads = local(parameters.get(p + "o_proj.weight").reshape(config.hidden(), h, dh), s.scratch)
          .transpose(1, 2, 0); // [H, Dh, D]
      NDArray result = s.at(hp + "head_result", z.expandDims(3).matMul(woHeads).squeeze(3));
      return result.sum(new int[] {2});
    }
    return z.reshape(b, t, config.hidden()).matMul(weightT(p + "o_proj.weight", s.scratch));
  }

  /** [B, T, D] to [B, H, T, Dh]. */
  private NDArray heads(NDArray x, long b, long t) {
    return x.reshape(b, t, config.heads(), config.headDim()).transpose(0, 2, 1, 3);
  }

  /** OlmoLayerNorm: (x - mean) / sqrt(var + 1e-5), biased variance, no weight or bias. */
  private static NDArray layerNorm(NDArray x) {
    NDArray c = x.sub(x.mean(new int[] {-1}, true));
    return c.mul(c.square().mean(new int[] {-1}, true).add(OlmoConfig.NORM_EPS).pow(-0.5));
  }

  /** W^T as a view owned by m: views of parameters would otherwise stay in the model's manager. */
  private NDArray weightT(String name, NDManager m) {
    return local(parameters.get(name).transpose(), m);
  }

  private static NDArray local(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /** Additive mask [T, T]: 0 on and below the diagonal, -1e9 above (exp underflows to exactly 0). */
  private static NDArray causalMask(NDManager m, int t) {
    float[] v = new float[t * t];
    for (int i = 0; i < t; i++) {
      java.util.Arrays.fill(v, i * t + i + 1, (i + 1) * t, -1e9f);
    }
    return m.create(v, new Shape(t, t));
  }

  /**
   * One block's scratch manager. Results of an op belong to its receiver's manager, so the block's
   * input is borrowed (temporarily attached) to make every intermediate land here; what must outlive
   * the block (its output and the values hooks saw) moves to the pass's manager on close. Arrays a
   * hook hands back from elsewhere are borrowed too and return to their owner.
   */
  private static final class Scope implements AutoCloseable {
    final NDManager outer;
    final NDManager scratch;
    final Hooks hooks;
    final Set<NDArray> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());
    final List<NDArray> kept = new ArrayList<>();

    Scope(NDManager outer, Hooks hooks) {
      this.outer = outer;
      this.scratch = outer.newSubManager();
      this.hooks = hooks;
    }

    NDArray borrow(NDArray a) {
      if (a.getManager() != scratch) {
        a.tempAttach(scratch);
        borrowed.add(a);
      }
      return a;
    }

    NDArray keep(NDArray a) {
      if (borrowed.contains(a)) {
        return a;
      }
      if (a.getManager() == scratch) {
        kept.add(a);
      } else {
        borrow(a);
      }
      return a;
    }

    NDArray at(String name, NDArray value) {
      return hooks.has(name) ? keep(hooks.at(name, value)) : value;
    }

    @Override
    public void close() {
      for (NDArray a : kept) {
        a.attach(outer);
      }
      scratch.close();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
