package org.arbor.corpus;

/**
 * One sampled document with its latent annotations, one entry per token. Arrays a process does not
 * annotate are empty (an N-gram document has no rank, section, paragraph or clause).
 *
 * @param tokens token ids, boundary tokens included
 * @param category category code per token (see the manifest's category list)
 * @param rank Zipf rank of the token under the ranking in force (1 = most likely), 0 if unranked
 * @param section section index in the document
 * @param paragraph paragraph index in its section
 * @param sentence sentence index in its paragraph (in the document for N-gram documents)
 * @param clause clause index in its sentence (0 = main clause), -1 on boundary tokens
 * @param order N-gram context order drawn for the token, 0 where none (boundaries)
 * @param logProb ln P(tokens | the document's latents) under the generating process
 */
public record Document(
    int[] tokens,
    short[] category,
    int[] rank,
    short[] section,
    short[] paragraph,
    short[] sentence,
    short[] clause,
    short[] order,
    double logProb) {

  public int length() {
    return tokens.length;
  }
}
