package dev.nabla.apps;

import dev.nabla.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts written as PNG with JFreeChart. */
final class Charts {
    private Charts() {
    }

    /** One curve of a chart: its name and its y values at x = 1, 2, 3, ... */
    record Curve(String name, List<Double> values) {
    }

    /** Writes a line chart of the curves to {@code file} (PNG, atomically). */
    static void line(Path file, String title, String xLabel, String yLabel, List<Curve> curves) throws IOException {
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
        AtomicFile.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 500));
    }

    /** Convenience for a map of name to values. */
    static List<Curve> curves(Map<String, List<Double>> byName) {
        return byName.entrySet().stream().map(e -> new Curve(e.getKey(), e.getValue())).toList();
    }
}
