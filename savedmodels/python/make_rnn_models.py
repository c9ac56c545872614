"""Keras 3 recurrent models as people save them, for Jeras' KerasRecurrentImportTest.

Usage: make_rnn_models.py DIR

Writes, seeded: sentiment.keras and sentiment.h5 (token ids of any length: Input(shape=(None,)),
Embedding with mask_zero, Bidirectional LSTM, GRU, Dense sigmoid), transformer.keras (the
same input through a Transformer encoder block: MultiHeadAttention, Add, LayerNormalization, a
feed-forward block, the masked mean), stock.keras (two stacked
LSTMs over 30 steps of one value, the second returning the last step, Dense), and for each
NAME.x0.npy (the sentiment inputs padded with 0 to 12 steps) and NAME.y.npy (Keras'
predictions). Made at test time: the files are Keras', not Jeras'.
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def main(directory):
    keras.utils.set_random_seed(5)
    rng = np.random.default_rng(5)
    tokens = keras.Input(shape=(None,), name="tokens")
    x = layers.Embedding(50, 8, mask_zero=True, name="embedding")(tokens)
    x = layers.Bidirectional(layers.LSTM(6, return_sequences=True), name="bi_lstm")(x)
    x = layers.GRU(4, name="gru")(x)
    out = layers.Dense(1, activation="sigmoid", name="sentiment")(x)
    sentiment = keras.Model(tokens, out, name="sentiment")
    # weights away from their initial values, as after training
    for w in sentiment.weights:
        w.assign(rng.normal(0, 0.4, w.shape).astype("float32"))
    lengths = [12, 5, 9, 1]
    ids = np.zeros((4, 12), dtype="float32")
    for i, n in enumerate(lengths):
        ids[i, :n] = rng.integers(1, 50, n)
    for suffix in ("keras", "h5"):
        sentiment.save(os.path.join(directory, f"sentiment.{suffix}"))
    np.save(os.path.join(directory, "sentiment.x0.npy"), ids)
    np.save(os.path.join(directory, "sentiment.y.npy"), np.asarray(sentiment(ids)))

    # a small Transformer encoder over the same padded token ids
    tokens = keras.Input(shape=(None,), name="tokens")
    h = layers.Embedding(50, 8, mask_zero=True, name="embedding")(tokens)
    attended = layers.MultiHeadAttention(2, 4, name="attention")(h, h)
    h = layers.LayerNormalization(name="norm_1")(layers.Add(name="residual_1")([h, attended]))
    ffn = layers.Dense(8, name="ffn_out")(layers.Dense(16, activation="relu", name="ffn")(h))
    h = layers.LayerNormalization(name="norm_2")(layers.Add(name="residual_2")([h, ffn]))
    out = layers.Dense(1, activation="sigmoid", name="sentiment")(
        layers.GlobalAveragePooling1D(name="mean")(h))
    transformer = keras.Model(tokens, out, name="transformer")
    for w in transformer.weights:
        w.assign(rng.normal(0, 0.4, w.shape).astype("float32"))
    transformer.save(os.path.join(directory, "transformer.keras"))
    np.save(os.path.join(directory, "transformer.x0.npy"), ids)
    np.save(os.path.join(directory, "transformer.y.npy"), np.asarray(transformer(ids)))

    stock = keras.Sequential([keras.Input((30, 1)), layers.LSTM(8, return_sequences=True),
                              layers.LSTM(4), layers.Dense(1)], name="stock")
    for w in stock.weights:
        w.assign(rng.normal(0, 0.4, w.shape).astype("float32"))
    series = np.cumsum(rng.normal(0, 1, (3, 30, 1)), axis=1).astype("float32")
    stock.save(os.path.join(directory, "stock.keras"))
    np.save(os.path.join(directory, "stock.x0.npy"), series)
    np.save(os.path.join(directory, "stock.y.npy"), np.asarray(stock(series)))
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1])
