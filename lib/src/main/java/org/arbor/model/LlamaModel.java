package org.arbor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arbor.random.Rng;

/**
 * A decoder-only transformer with Hugging Face LlamaForCausalLM numerics, written out in NDArray
 * operations (DJL has no RMSNorm, RoPE or causal attention): token embedding; per block a pre-norm
 * RMSNorm, multi-head causal self-attention with rotate-half RoPE, a residual add, RMSNorm, a
 * SwiGLU MLP and a residual add; a final RMSNorm and an untied LM head. No biases. Parameters carry
 * their Hugging Face names, so a checkpoint is a plain name-to-tensor map.
 */
public final class LlamaModel implements CausalLm {
  static final long INIT_PURPOSE = 0x494E4954L; // "INIT"
  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private NDArray cos;
  private NDArray sin;
  private int ropeLength;

  private LlamaModel(ModelConfig config, NDManager manager) {
    this.config = config;
    this.manager = manager;
  }

  /** A model with random weights N(0, initStd) drawn from (seed, parameter index); norms are 1. */
  public static LlamaModel initialise(ModelConfig c, NDManager parent, long seed) {
    LlamaModel m = new LlamaModel(c, parent.newSubManager());
    int i = 0;
    for (Map.Entry<String, Shape> e : shapes(c).entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      float[] values = new float[(int) shape.size()];
      if (name.endsWith("norm.weight")) {
        java.util.Arrays.fill(values, 1f);
      } else {
        Rng rng = new Rng(seed, INIT_PURPOSE, i);
        for (int k = 0; k < values.length; k++) {
          values[k] = (float) (rng.nextGaussian() * c.initStd());
        }
      }
      // Copy into memory from libtorch's own allocator (64-byte aligned): arrays made from Java
      // buffers have arbitrary alignment, and the kernels' results depend on it at the last bit.
      try (NDArray staged = m.manager.create(values, shape)) {
        m.put(name, staged.duplicate());
      }
      i++;
    }
    return m;
  }

  /** A model over given tensors (from a checkpoint); names and shapes must match exactly. */
  public static LlamaModel of(ModelConfig c, NDManager parent, Map<String, NDArray> tensors, String source) {
    LlamaModel m = new LlamaModel(c, parent.newSubManager());
    Map<String, Shape> expected = shapes(c);
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException(source + ": unexpected tensor '" + name + "'");
      }
    }
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray t = tensors.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException(source + ": missing tensor '" + e.getKey() + "'");
      }
      if (!t.getShape().equals(e.getValue())) {
        throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' has shape " + t.getShape()
            + ", expected " + e.getValue());
      }
      NDArray f = t.getDataType() == DataType.FLOAT32 ? t.duplicate() : t.toType(DataType.FLOAT32, true);
      f.attach(m.manager);
      m.put(e.getKey(), f);
    }
    return m;
  }

  /** Parameter names (Hugging Face) and shapes, in a fixed order. */
  public static Map<String, Shape> shapes(ModelConfig c) {
    Map<String, Shape> s = new LinkedHashMap<>();
    long d = c.hidden();
    s.put("model.embed_tokens.weight", new Shape(c.vocabSize(), d));
    for (int l = 0; l < c.layers(); l++) {
      String p = "model.layers." + l + ".";
      s.put(p + "input_layernorm.weight", new Shape(d));
      s.put(p + "self_attn.q_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.k_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.v_proj.weight", new Shape(d, d));
      s.put(p + "self_attn.o_proj.weight", new Shape(d, d));
      s.put(p + "post_attention_layernorm.weight", new Shape(d));
      s.put(p + "mlp.gate_proj.weight", new Shape(c.intermediate(), d));
      s.put(p + "mlp.up_proj.weight", new Shape(c.intermediate(), d));
      s.put(p + "mlp.down_proj.weight", new Shape(d, c.intermediate()));
    }
    s.put("model.norm.weight", new Shape(d));
    s.put("lm_head.weight", new Shape(c.vocabSize(), d));
    return s;
  }

  private void put(String name, NDArray a) {
    a.setName(name);
    parameters.put(name, a);
  }

  public ModelConfig config() {
    return config;
  }

  @Override
  public String kind() {
    return "llama";
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

  @Override
  public NDArray unembedding() {
    return parameters.get("lm_head.weight");
  }

  @Override
  public NDArray finalNorm(NDArray x, NDArray scale) {
    return x.mul(scale).mul(parameters.get("model.norm.weight"));
  }

  public Map<String, NDArray> parameters() {
    return parameters;
  }

  @Override
  public NDArray parameter(String name) {
    return parameters.get(name);
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  /** Logits [B, T, V] for token ids [B, T] (int32 or int64). Intermediates go to tokens' manager. */
  @Override
  public NDArray forward(NDArray tokens, Hooks hooks) {
    long b = tokens.getShape().get(0);
    int t = (int) tokens.getShape().get(1);
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("sequence of " + t + " tokens exceeds max_position_embeddings " + config.maxPositions());
    }
    NDManager m = tokens.getManager();
    // The lookup as a one-hot matmul: its backward is a matmul, where index_put's accumulation
    // into repeated rows is not bit-reproducible from run to run on CPU.
    NDArray x = tokens.toType(DataType.INT64, false).reshape(-1).oneHot(config.vocabSize())
        .matMul(parameters.get("model.embed_tokens.weight")).reshape(b, t, config.hidden());
    x = hooks.at("embed", x);
    NDArray[] rope = rope(m, t);
    NDArray mask = causalMask(m, t);
    for (int l = 0; l < config.layers(); l++) {
      x = block(l, x, rope, mask, hooks);
    }
    NDArray scale = rmsScale(x);
    scale = hooks.at("final_norm.scale", scale);
    NDArray h = x.mul(scale).mul(parameters.get("model.norm.weight"));
    NDArray logits = h.matMul(weightT("lm_head.weight", m));
    return hooks.at("logits", logits);
  }

  private NDArray block(int l, NDArray x, NDArray[] rope, NDArray mask, Hooks hooks) {
    String p = "model.layers." + l + ".";
    String hp = "blocks." + l + ".";
    x = hooks.at(hp + "resid_pre", x);
    NDArray a = attention(l, rmsNorm(x, parameters.get(p + "input_layernorm.weight")), rope, mask, hooks);
    a = hooks.at(hp + "attn_out", a);
    x = x.add(a);
    x = hooks.at(hp + "resid_mid", x);
    NDArray n = rmsNorm(x, parameters.get(p + "post_attention_layernorm.weight"));
    NDManager m = x.getManager();
    NDArray gate = n.matMul(weightT(p + "mlp.gate_proj.weight", m));
    NDArray up = n.matMul(weightT(p + "mlp.up_proj.weight", m));
    NDArray mlp = gate.mul(Activation.sigmoid(gate)).mul(up).matMul(weightT(p + "mlp.down_proj.weight", m));
    mlp = hooks.at(hp + "mlp_out", mlp);
    x = x.add(mlp);
    return hooks.at(hp + "resid_post", x);
  }

  private NDArray attention(int l, NDArray x, NDArray[] rope, NDArray mask, Hooks hooks) {
    String p = "model.layers." + l + ".self_attn.";
    String hp = "blocks." + l + ".attn.";
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int h = config.heads();
    int dh = config.headDim();
    NDManager m = x.getManager();
    NDArray q = heads(x.matMul(weightT(p + "q_proj.weight", m)), b, t);
    NDArray k = heads(x.matMul(weightT(p + "k_proj.weight", m)), b, t);
    NDArray v = heads(x.matMul(weightT(p + "v_proj.weight", m)), b, t);
    q = applyRope(q, rope);
    k = applyRope(k, rope);
    // Scale q ([B, H, T, Dh]) rather than the scores ([B, H, T, T]): one elementwise pass less over
    // the largest tensor of the block, forward and backward.
    // The mask is added in place: autograd does not need the matmul's output, and a second
    // [B, H, T, T] buffer per layer costs more than the arithmetic.
    NDArray scores = q.mul(1.0 / Math.sqrt(dh)).matMul(k.transpose(0, 1, 3, 2)).add(mask);
    NDArray pattern = scores.softmax(-1);
    pattern = hooks.at(hp + "pattern", pattern);
    NDArray z = pattern.matMul(v).transpose(0, 2, 1, 3); // [B, T, H, Dh]
    z = hooks.at(hp + "head_out", z);
    NDArray wo = parameters.get(p + "o_proj.weight");
    if (hooks.has(hp + "head_result")) {
      // Per-head contributions z_h Wo[:, h]^T: [B, T, H, D]; their sum over heads is the output.
      NDArray woHeads = local(wo.reshape(config.hidden(), h, dh), m).transpose(1, 2, 0); // [H, Dh, D]
      NDArray result = z.expandDims(3).matMul(woHeads).squeeze(3);
      result = hooks.at(hp + "head_result", result);
      return result.sum(new int[] {2});
    }
    return z.reshape(b, t, config.hidden()).matMul(weightT(p + "o_proj.weight", m));
  }

  /**
   * W^T of a parameter as a view owned by the pass's manager: an op's result belongs to its
   * receiver's manager, and views of parameters left in the model's manager would leak every step.
   */
  private NDArray weightT(String name, NDManager m) {
    return local(parameters.get(name).transpose(), m);
  }

  private static NDArray local(NDArray a, NDManager m) {
    a.attach(m);
    return a;
  }

  /** [B, T, D] to [B, H, T, Dh]. */
  private NDArray heads(NDArray x, long b, long t) {
    return x.reshape(b, t, config.heads(), config.headDim()).transpose(0, 2, 1, 3);
  }

  private static NDArray applyRope(NDArray x, NDArray[] rope) {
    return Rope.apply(x, rope);
  }

  private NDArray[] rope(NDManager m, int t) {
    return Rope.tables(m, t, config.headDim(), config.ropeTheta());
  }

  /** RoPE on [B, H, T, Dh] with tables for T positions (exposed for the rotation test). */
  NDArray applyRopeForTest(NDArray x, int t) {
    return applyRope(x, rope(x.getManager(), t));
  }

  /**
   * Additive mask [T, T]: 0 on and below the diagonal, -1e9 above. exp(-1e9 - max) is exactly 0 in
   * float32, so the probabilities equal those of an infinite mask, without arithmetic near the
   * float range's edge.
   */
  private static NDArray causalMask(NDManager m, int t) {
    float[] v = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        v[i * t + j] = -1e9f;
      }
    }
    return m.create(v, new Shape(t, t));
  }

  /** 1 / sqrt(mean(x^2) + eps) over the last axis, [..., 1]. */
  private NDArray rmsScale(NDArray x) {
    return x.square().mean(new int[] {-1}, true).add(config.rmsNormEps()).sqrt().pow(-1);
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    return x.mul(rmsScale(x)).mul(weight);
  }

  /**
   * Mean next-token cross-entropy in nats over the positions that predict a valid token:
   * position i predicts token i+1; weights [B, T-1] (1 = counted) may be null.
   */
  public static NDArray loss(NDArray logits, NDArray tokens, NDArray weights) {
    long t = logits.getShape().get(1);
    NDArray logp = logits.get(new NDIndex(":, :{}", t - 1)).logSoftmax(-1);
    NDArray target = tokens.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).expandDims(-1);
    NDArray nll = logp.gather(target, -1).squeeze(-1).neg();
    if (weights == null) {
      return nll.mean();
    }
    return nll.mul(weights).sum().div(weights.sum());
  }

  /** Reads a float32 array's values (for tests and checkpoints). */
  public static float[] values(NDArray a) {
    return a.toType(DataType.FLOAT32, false).toFloatArray();
  }

  static ByteBuffer littleEndian(float[] v) {
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer f = b.asFloatBuffer();
    f.put(v);
    return b;
  }

  @Override
  public void close() {
    manager.close();
  }
}
