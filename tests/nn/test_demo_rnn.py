"""The digits demo's recurrent model: the image's rows as a sequence into a GRU reach 95 %."""

import nn
from nn import train


def test_rnn_reads_rows_and_reaches_95_percent(tmp_path):
    histories = train.run(["--model", "rnn", "--epochs", "8", "--lr", "1e-2", "--out",
                           str(tmp_path / "r"), "--quiet"])
    assert histories["rnn"]["test_acc"][-1] >= 0.95
    weights = nn.load(tmp_path / "r" / "rnn.npz")
    assert weights["gru.weight_ih_l0"].shape == (3 * 64, 8)
    assert weights["gru.weight_hh_l0"].shape == (3 * 64, 64)
    assert (tmp_path / "r" / "graph_rnn.dot").exists()
