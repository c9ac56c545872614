package io.jeras.layers.rnn;

import io.jeras.activations.Activations;
import io.jeras.initializers.Initializers;
import io.jeras.layers.WeightConfig;
import lombok.With;

/**
 * What SimpleRNN, LSTM and GRU share, with Keras' defaults: {@code units}, the activation
 * ({@code tanh}) and the gates' ({@code sigmoid}), bias used, kernel {@code glorot_uniform},
 * recurrent kernel {@code orthogonal}, bias {@code zeros}, no dropout, the last output only,
 * forwards in time.
 *
 * @param zeroOutputForMask whether masked steps output zeros (else the previous output), as
 *     Bidirectional sets it for sequences
 */
@With
public record RecurrentSettings(int units, Activations activation,
    Activations recurrentActivation, boolean useBias, WeightConfig kernel,
    WeightConfig recurrentKernel, WeightConfig bias, double dropout, double recurrentDropout,
    boolean returnSequences, boolean goBackwards, boolean zeroOutputForMask) {

  /** Keras' defaults for {@code units}. */
  public static RecurrentSettings defaults(int units, Activations recurrentActivation) {
    return new RecurrentSettings(units, Activations.TANH, recurrentActivation, true,
        WeightConfig.of(Initializers.glorotUniform()), WeightConfig.of(Initializers.orthogonal()),
        WeightConfig.of(Initializers.zeros()), 0, 0, false, false, false);
  }
}
