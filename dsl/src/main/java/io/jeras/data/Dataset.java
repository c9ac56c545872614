package io.jeras.data;

import java.util.Iterator;

/**
 * Data that {@code fit}, {@code evaluate} and {@code predict} read batch by batch, as Keras
 * reads a {@code tf.data.Dataset} or a generator: image folders ({@link
 * io.jeras.data.images.ImageDatasets}), augmenting generators, or arrays ({@link
 * Datasets#fromArrays}).
 *
 * <p>A dataset is read in passes: {@code pass(n)} opens the n-th pass (shuffling and random
 * augmentation may depend on n, so a run is reproducible), which yields batches until the data
 * is exhausted. With {@code Fit.stepsPerEpoch}, one pass continues across epochs as in Keras;
 * without, each epoch reads one whole pass. Close the pass to stop its background work.
 */
public interface Dataset {

  /** Opens the {@code pass}-th pass over the data. */
  Pass pass(int pass);

  /** Batches in one pass, or -1 when infinite ({@link #repeat()}). */
  long cardinality();

  /** This dataset read again and again, each pass after the last: an infinite dataset. */
  default Dataset repeat() {
    return new RepeatedDataset(this);
  }

  /** One pass: batches in order; closing it stops any background work and frees its memory. */
  interface Pass extends Iterator<DataBatch>, AutoCloseable {
    @Override
    void close();

    /**
     * Says that the consumer has copied {@code batch} (one of this pass') out and will not read
     * its arrays again, so the pass may fill them with a later batch: the image pipeline does,
     * writing into memory already touched instead of fresh arrays. The trainer calls it once a
     * batch is in TensorFlow's tensors. Optional on both sides: by default nothing is reused,
     * and a pass that keeps its batches (a cache) must not reuse them.
     */
    default void recycle(DataBatch batch) {}
  }
}
