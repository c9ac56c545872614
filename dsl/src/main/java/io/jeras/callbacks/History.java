package io.jeras.callbacks;

import io.jeras.utils.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Keras' {@code History}: every epoch's logs, per key, returned by {@code fit}.
 *
 * <pre>{@code
 * History history = model.fit(x, y, Fit.epochs(10).validationSplit(0.1));
 * history.history().get("val_loss");   // one value per epoch
 * history.plot(Path.of("history.png"));
 * }</pre>
 */
public final class History extends Callback {
  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    epochs.clear();
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    logs.forEach((key, value) -> history.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
  }

  /** Each log key with its values, one per epoch (Keras' {@code history.history}). */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    history.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    return Collections.unmodifiableMap(copy);
  }

  /** The values of one key, one per epoch. */
  public List<Double> get(String key) {
    List<Double> values = history.get(key);
    if (values == null) {
      throw new IllegalArgumentException(
          "no history for \"" + key + "\"; recorded keys: " + history.keySet());
    }
    return List.copyOf(values);
  }

  /** The 0-based epochs trained (Keras' {@code history.epoch}). */
  public List<Integer> epochs() {
    return List.copyOf(epochs);
  }

  /**
   * Draws one chart per metric (loss first), training against validation over the epochs, side
   * by side in one PNG, written atomically to {@code path}.
   */
  public void plot(Path path) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<XYChart> charts = new ArrayList<>();
    for (String key : history.keySet()) {
      if (key.startsWith("val_")) {
        continue;
      }
      XYChart chart = new XYChartBuilder().width(560).height(400).title(key)
          .xAxisTitle("epoch").yAxisTitle(key).build();
      chart.getStyler().setMarkerSize(6);
      List<Double> values = history.get(key);
      boolean falling = values.get(values.size() - 1) <= values.get(0);
      chart.getStyler().setLegendPosition(
          falling ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
      chart.getStyler().setChartBackgroundColor(Color.WHITE);
      chart.getStyler().setXAxisDecimalPattern("0");
      chart.getStyler().setYAxisDecimalPattern("0.000");
      addSeries(chart, "training " + key, history.get(key));
      List<Double> validation = history.get("val_" + key);
      if (validation != null) {
        addSeries(chart, "validation " + key, validation);
      }
      charts.add(chart);
    }
    if (charts.isEmpty()) {
      throw new IllegalStateException("nothing to plot: the history is empty");
    }
    AtomicFiles.write(path, out ->
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG));
  }

  private void addSeries(XYChart chart, String name, List<Double> values) {
    List<Integer> x = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      x.add(i < epochs.size() ? epochs.get(i) + 1 : i + 1);
    }
    XYSeries series = chart.addSeries(name, x, values);
    series.setMarker(SeriesMarkers.CIRCLE);
    series.setLineStyle(new BasicStroke(2f));
  }
}
