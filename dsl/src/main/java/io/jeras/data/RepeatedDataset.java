package io.jeras.data;

import java.util.NoSuchElementException;

/** {@link Dataset#repeat()}: passes of the underlying dataset one after another, forever. */
final class RepeatedDataset implements Dataset {
  private final Dataset dataset;

  RepeatedDataset(Dataset dataset) {
    if (dataset.cardinality() == 0) {
      throw new IllegalArgumentException("cannot repeat an empty dataset");
    }
    this.dataset = dataset;
  }

  @Override
  public long cardinality() {
    return -1;
  }

  @Override
  public Pass pass(int pass) {
    return new Pass() {
      private int next = pass;
      private Pass current = dataset.pass(next++);

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public DataBatch next() {
        if (!current.hasNext()) {
          current.close();
          current = dataset.pass(next++);
          if (!current.hasNext()) {
            throw new NoSuchElementException("the repeated dataset yielded an empty pass");
          }
        }
        return current.next();
      }

      @Override
      public void recycle(DataBatch batch) {
        current.recycle(batch);
      }

      @Override
      public void close() {
        current.close();
      }
    };
  }
}
