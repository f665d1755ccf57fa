package org.arbor.report;

import org.knowm.xchart.internal.chartpart.Chart;

/** One chart of a figure: the runs of one model kind (line charts) or one run (heatmaps). */
public record Panel(String id, String modelKind, String run, Chart<?, ?> chart) {}
