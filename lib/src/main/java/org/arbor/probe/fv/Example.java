package org.arbor.probe.fv;

/**
 * One input/output pair of an in-context task: the query tokens, the label a demonstration shows
 * after them, and the set of tokens that count as correct (the label alone, or for a task whose
 * answer is a category, every member of it). P(answer) is the probability mass on that set.
 */
public record Example(int[] input, int label, int[] answer) {
  public Example {
    input = input.clone();
    answer = answer.clone();
    java.util.Arrays.sort(answer);
    if (java.util.Arrays.binarySearch(answer, label) < 0) {
      throw new IllegalArgumentException("label " + label + " is not among the correct answers");
    }
  }

  public static Example single(int[] input, int answer) {
    return new Example(input, answer, new int[] {answer});
  }
}
