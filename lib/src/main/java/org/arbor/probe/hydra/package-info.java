/**
 * The Hydra effect (self-repair) probe, "hydra": McGrath et al.'s resample ablation with its split
 * into total effect, direct effect and compensation ({@link org.arbor.probe.hydra.ResampleAblation}),
 * and the paper's zero-ablation logit lens ({@link org.arbor.probe.hydra.ZeroAblationLens}).
 * Conventions: effects are clean minus ablated; a layer row (head -1) ablates the layer's attention
 * output by default ({@code unit: block}: attention plus MLP), head rows one attention head; values
 * are means over prompts and the last {@code positions} positions of each prompt.
 */
package org.arbor.probe.hydra;
