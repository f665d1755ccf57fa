package org.arbor.grammar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import org.arbor.config.ConfigNode;
import org.arbor.corpus.CorpusSpec;
import org.arbor.corpus.Document;
import org.arbor.corpus.DocumentBuffer;
import org.arbor.corpus.DocumentSampler;
import org.arbor.corpus.DocumentSource;
import org.junit.jupiter.api.Test;

/**
 * Samplers append documents to a shared buffer (the corpus writer's row group): a document sampled
 * after others in the buffer is the document sampled on its own, value for value, log-probability
 * included, and the buffer gives back each document with exactly the sampler's columns.
 */
class SampleIntoTest {
  private static void appendsEqualAlone(DocumentSource p, int repetitions) {
    DocumentSampler alone = p.newSampler();
    DocumentSampler shared = p.newSampler();
    DocumentBuffer buffer = new DocumentBuffer(16); // small: appending must grow it
    int[] starts = new int[31];
    double[] logP = new double[30];
    for (int d = 0; d < 30; d++) {
      starts[d] = buffer.length();
      logP[d] = shared.sampleInto(7, 1000 + d / repetitions, d % repetitions, buffer);
    }
    starts[30] = buffer.length();
    for (int d = 29; d >= 0; d--) { // build() takes the buffer's tail: peel documents off the end
      Document want = alone.sample(7, 1000 + d / repetitions, d % repetitions);
      Document got = buffer.build(starts[d], logP[d], shared.columns());
      assertEquals(want.logProb(), got.logProb(), 0.0, "document " + d);
      assertEquals(starts[d + 1] - starts[d], want.length());
      assertArrayEquals(want.tokens(), got.tokens());
      assertArrayEquals(want.category(), got.category());
      assertArrayEquals(want.rank(), got.rank());
      assertArrayEquals(want.section(), got.section());
      assertArrayEquals(want.paragraph(), got.paragraph());
      assertArrayEquals(want.sentence(), got.sentence());
      assertArrayEquals(want.clause(), got.clause());
      assertArrayEquals(want.order(), got.order());
      assertEquals(shared.columns(), DocumentBuffer.mask(want));
      DocumentBuffer copy = new DocumentBuffer();
      copy.add(want, DocumentBuffer.mask(want));
      assertArrayEquals(want.clause(), copy.build(0, 0, shared.columns()).clause());
      buffer.clear();
      buffer.advance(starts[d]);
    }
  }

  @Test
  void pcfgDocumentsAppendedToABufferEqualDocumentsAlone() {
    GrammarSpec g = Presets.grammar("paper-config"); // topics, section re-rankings, shared tokens
    appendsEqualAlone(new PcfgProcess(g), g.repetitions);
    appendsEqualAlone(new PcfgProcess(Presets.grammar("ukp-released")), 10);
  }

  @Test
  void ngramDocumentsAppendedToABufferEqualDocumentsAlone() {
    DocumentSource p = CorpusSpec.loadProcess(ConfigNode.parse("test.yaml", new StringReader("{}")),
        Presets.root().resolve("conf/ngram/ukp-released.yaml"));
    appendsEqualAlone(p, 1);
    assertEquals(0, p.newSampler().sample(7, 3, 0).rank().length);
  }
}
