package io.jeras.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class SummaryFileWriterTest {
  @TempDir
  Path dir;

  @Test
  void writesScalarsHistogramsAndGraphsThatReadBackWithValidChecksums() throws Exception {
    Path logs = dir.resolve("train");
    try (SummaryFileWriter writer = new SummaryFileWriter(logs)) {
      writer.scalar("epoch_loss", 0.5, 0);
      writer.scalar("epoch_loss", 0.25, 1);
      writer.histogram("dense/kernel/histogram", new float[] {1, 2, 2, 3}, Shape.of(2, 2), 1);
      try (GraphRuntime model = new GraphRuntime(SessionOptions.defaults())) {
        model.tf().withName("x").constant(1f);
        writer.graph(model.graph().toGraphDef().toByteArray(), 0);
      }
    }
    List<Path> files = EventFileReader.eventFiles(logs);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString())
        .matches("events\\.out\\.tfevents\\.\\d{10}\\..+\\.v2");
    List<Event> events = EventFileReader.read(files.get(0));
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    List<Summary.Value> scalars = events.stream().filter(Event::hasSummary)
        .flatMap(e -> e.getSummary().getValueList().stream())
        .filter(v -> v.getTag().equals("epoch_loss")).toList();
    assertThat(scalars).extracting(Summary.Value::getSimpleValue).containsExactly(0.5f, 0.25f);
    Event histogram = events.stream().filter(e -> e.hasSummary()
        && e.getSummary().getValue(0).getTag().equals("dense/kernel/histogram")).findFirst()
        .orElseThrow();
    assertThat(histogram.getStep()).isEqualTo(1);
    assertThat(histogram.getSummary().getValue(0).getHisto().getNum()).isEqualTo(4.0);
    assertThat(histogram.getSummary().getValue(0).getHisto().getSum()).isEqualTo(8.0);
    Event graph = events.stream().filter(e -> !e.getGraphDef().isEmpty()).findFirst()
        .orElseThrow();
    assertThat(org.tensorflow.proto.GraphDef.parseFrom(graph.getGraphDef()).getNode(0).getName())
        .isEqualTo("x");
  }

  @Test
  void corruptFile_failsOnTheChecksum() throws Exception {
    Path logs = dir.resolve("corrupt");
    try (SummaryFileWriter writer = new SummaryFileWriter(logs)) {
      writer.scalar("x", 1, 0);
    }
    Path file = EventFileReader.eventFiles(logs).get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> EventFileReader.read(file)).hasMessageContaining("checksum");
  }

  @Test
  void closedWriter_refuses() {
    SummaryFileWriter writer = new SummaryFileWriter(dir.resolve("closed"));
    writer.close();
    writer.close();
    assertThatThrownBy(() -> writer.scalar("x", 1, 0)).hasMessage("this summary writer is closed");
  }
}
