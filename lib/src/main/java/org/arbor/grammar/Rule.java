package org.arbor.grammar;

import java.io.Serializable;

/**
 * One weighted production. Symbols below the number of lexical classes are class slots (terminals);
 * the others are nonterminals, numbered after the classes.
 */
public record Rule(double probability, int[] rhs) implements Serializable {}
