package org.arbor.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.arbor.config.ConfigNode;
import org.arbor.model.ModelConfig;

/**
 * A training run (conf/runs/*.yaml): the model, the data packing, batch, budget, optimizer,
 * schedule and checkpoint plan. The corpus is given on the command line, so one run file trains on
 * any corpus; the corpus's manifest is recorded with the run.
 */
public record TrainConfig(
    String name,
    ModelConfig model,
    long seed,
    int context,
    boolean documentAligned,
    int batchSize,
    int accumulation,
    long budgetSteps,
    long budgetTokens,
    double lr,
    double beta1,
    double beta2,
    double eps,
    double weightDecay,
    double clip,
    String schedule,
    long warmup,
    double minRatio,
    int checkpoints,
    String spacing,
    int evalWindows,
    Map<String, Object> raw) {

  public static TrainConfig load(Path file) {
    ConfigNode n = ConfigNode.load(file);
    String name = n.string("name");
    Path modelFile = file.toAbsolutePath().getParent().resolve(n.string("model")).normalize();
    if (!modelFile.toFile().isFile()) {
      throw n.error("model", "file not found: " + modelFile);
    }
    ModelConfig model = ModelConfig.load(modelFile);
    long seed = n.longValue("seed");
    ConfigNode data = n.child("data");
    int context = data.count("context");
    if (context < 2) {
      throw data.error("context", "a window needs at least 2 tokens, got " + context);
    }
    if (context > model.maxPositions()) {
      throw data.error("context", "window of " + context + " tokens exceeds the model's max_position_embeddings "
          + model.maxPositions() + " (" + modelFile + ")");
    }
    boolean aligned = data.bool("document_aligned", false);
    data.finish();
    ConfigNode batch = n.child("batch");
    int size = batch.count("size");
    int accumulation = batch.count("accumulation", 1);
    if (size < 1 || accumulation < 1) {
      throw batch.error("size", "batch size and accumulation must be at least 1");
    }
    batch.finish();
    ConfigNode budget = n.child("budget");
    long steps = budget.longValue("steps", 0);
    long tokens = budget.longValue("tokens", 0);
    if ((steps > 0) == (tokens > 0)) {
      throw budget.error(null, "give exactly one positive budget: steps or tokens");
    }
    budget.finish();
    ConfigNode opt = n.child("optimizer");
    double lr = opt.number("lr");
    List<?> betas = opt.list("betas");
    if (betas.size() != 2) {
      throw opt.error("betas", "expected [beta1, beta2]");
    }
    double b1 = opt.toNumber(betas.get(0), opt.key("betas"));
    double b2 = opt.toNumber(betas.get(1), opt.key("betas"));
    double eps = opt.number("eps", 1e-8);
    double wd = opt.number("weight_decay", 0);
    double clip = opt.number("clip", 0);
    if (!(lr > 0) || !(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1) || !(eps > 0) || wd < 0 || clip < 0) {
      throw opt.error(null, "need lr > 0, 0 <= betas < 1, eps > 0, weight_decay >= 0, clip >= 0");
    }
    opt.finish();
    ConfigNode sch = n.child("schedule");
    String kind = sch.string("kind");
    if (!List.of("constant", "linear", "cosine").contains(kind)) {
      throw sch.error("kind", "expected constant, linear or cosine, got '" + kind + "'");
    }
    long warmup = sch.longValue("warmup", 0);
    double minRatio = sch.number("min_ratio", 0);
    sch.finish();
    ConfigNode ck = n.child("checkpoints");
    int count = ck.count("count");
    if (count < 1) {
      throw ck.error("count", "at least one checkpoint");
    }
    String spacing = ck.string("spacing", "even");
    if (!spacing.equals("even") && !spacing.equals("log")) {
      throw ck.error("spacing", "expected even or log, got '" + spacing + "'");
    }
    int eval = ck.count("eval_windows", 64);
    ck.finish();
    n.finish();
    return new TrainConfig(name, model, seed, context, aligned, size, accumulation, steps, tokens, lr, b1, b2, eps, wd,
        clip, kind, warmup, minRatio, count, spacing, eval, n.raw());
  }

  public long tokensPerStep() {
    return (long) batchSize * accumulation * context;
  }

  /** The number of optimizer steps the budget allows. */
  public long totalSteps() {
    return budgetSteps > 0 ? budgetSteps : Math.max(1, budgetTokens / tokensPerStep());
  }

  public LearningRate learningRate() {
    return new LearningRate(schedule, lr, warmup, totalSteps(), minRatio);
  }
}
