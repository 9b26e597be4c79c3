package dev.nabla.apps;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts written as PNG with JFreeChart. */
final class Charts {
    private Charts() {
    }

    /** One curve of a chart: its name and its y values at x = 1, 2, 3, ... */
    record Curve(String name, List<Double> values) {
    }

    /** Writes a line chart of the curves to {@code file} (PNG, atomically), carrying {@code runId} (see {@link Pngs}). */
    static void line(Path file, String title, String xLabel, String yLabel, List<Curve> curves, String runId)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve c : curves) {
            XYSeries s = new XYSeries(c.name());
            for (int i = 0; i < c.values().size(); i++) {
                s.add(i + 1, c.values().get(i));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                curves.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // Markers help when there are few points (accuracy per epoch); thousands of iterations read better bare.
        boolean markers = curves.stream().allMatch(c -> c.values().size() <= 50);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        Pngs.write(file, chart.createBufferedImage(800, 500), runId);
    }
}
