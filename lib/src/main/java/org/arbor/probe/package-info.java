/**
 * Probes of the mechanisms the paper studies, and the rows they write into the results table.
 *
 * <p>The results table (one Parquet directory per sweep) has the columns {@code run} (string),
 * {@code model_kind} (pcfg, ngram or olmo), {@code checkpoint} (path), {@code step} (long),
 * {@code tokens_seen} (long), {@code probe} (string), {@code layer} (int, -1 if none), {@code head}
 * (int, -1 if none), {@code key} (string), {@code value} (double) and {@code error} (string, null on
 * success; an error row has key "error" and value NaN). Keys are a measure's name, optionally with
 * qualifiers after a colon ({@code measure:name=value,name=value}). The keys each probe writes:
 *
 * <pre>
 * probe        key                              layer  head  meaning
 * loss         train_loss, heldout_loss          -1     -1   from the run's metrics.csv at the checkpoint's step (nats/token)
 * loss         entropy_floor                     -1     -1   the corpus's exact entropy rate (manifest), the floor of the loss
 * induction    prefix_matching                   L      h    Olsson et al.: mean attention to the token after the earlier occurrence (offset n-1)
 * induction    duplicate_token                   L      h    mean attention to the earlier copy of the same token (offset n), mean over k
 * induction    duplicate_token_paper:k=K         -1     -1   the paper's score: mean over queries n+K..2n-1, max over heads (K = 1..10)
 * induction    copying                           L      h    the head's OV circuit raising the attended token's logit
 * induction    icl_score                         -1     -1   loss late in the window minus loss early (nats; negative = in-context learning)
 * induction    loss_early, loss_late             -1     -1   the two losses of icl_score
 * function_vector  cie:task=T                    L      h    causal indirect effect of the head's mean output (gain in P(answer))
 * function_vector  fv_gain:task=T                L      -1   gain in P(answer) on zero-shot prompts when the function vector is added at layer L
 * function_vector  fv_accuracy:task=T            L      -1   top-1 accuracy on zero-shot prompts with the function vector added at layer L
 * function_vector  zero_shot_accuracy:task=T     -1     -1   top-1 accuracy on zero-shot prompts without intervention
 * function_vector  paper_patch_gain:task=T       L      -1   the paper's variant: patch the source's attention output at layer L into the target run
 * hydra        total_effect                      L      h|-1 McGrath et al., resample ablation: change of the target logit at the output
 * hydra        direct_effect                     L      h|-1 change of the layer's (head's) own contribution through the unembedding, final-norm scale frozen
 * hydra        compensation                      L      h|-1 direct_effect - total_effect
 * hydra        paper_diff:k=K                    L      -1   the paper's zero-ablation logit lens: clean - ablated at layer L after zeroing layer L-K
 * hydra        paper_compensation:k=K            L      -1   -min(paper_diff, 0)
 * structure    verb_after_s, object_after_sv, subject_after_svoc   -1 -1   next-token category mass
 * structure    grammatical_fraction              -1     -1   share of sampled continuations the grammar parses
 * geometry     probe_accuracy:target=T           L      -1   held-out accuracy of a linear probe from the residual after layer L (embeddings: key suffix ",point=embed", layer -1)
 * geometry     probe_accuracy:target=T,point=baseline   -1 -1   the majority training class's accuracy on the test tokens (chance level)
 * geometry     probe_r2:target=T                 L      -1   held-out R^2 for numeric targets (rank); point=baseline: R^2 of the training mean
 *              targets: category, position, sentence, clause, paragraph, section, rank_bucket (classification), rank (regression)
 * geometry     cosine_within:level=V, cosine_across:level=V   L  -1   mean cosine similarity of hidden states within / across the same sentence, paragraph, section, document
 * </pre>
 *
 * <p>Layer indices count blocks from 0; a value "after layer L" is {@code blocks.L.resid_post}.
 */
package org.arbor.probe;
