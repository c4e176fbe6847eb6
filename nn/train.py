"""Train digit classifiers on the bundled UCI digits, the way a PyTorch user would.

    chainrule-demo                      # an MLP and a small CNN, Adam, default epochs
    python -m nn.train --model mlp --epochs 40 --optimizer sgd --lr 0.1

Prints each model's layer table and per-epoch loss and accuracy, then writes a loss-curve
plot, a picture of the model's computational graph and the trained weights into an output
folder it names at the end.
"""

import argparse
import os
import sys
import time

import numpy as np

import autograd as ag
import nn
import optim
from nn.datasets import load_digits, train_test_split

OPTIMIZERS = {
    "sgd": (optim.SGD, {"lr": 0.1}),
    "momentum": (optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    "nesterov": (optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "adagrad": (optim.Adagrad, {"lr": 0.05}),
    "rmsprop": (optim.RMSprop, {"lr": 1e-3}),
    "adam": (optim.Adam, {"lr": 2e-3}),
    "adamw": (optim.AdamW, {"lr": 2e-3}),
}
EPOCHS = {"mlp": 40, "cnn": 25, "rnn": 40}


class RowGRU(nn.Module):
    """The image read row by row: 8 steps of 8 pixels into a GRU, its last state into a
    linear classifier."""

    def __init__(self, hidden=64):
        super().__init__()
        self.gru = nn.GRU(8, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 10)

    def forward(self, x):                 # (N, 8, 8): N images, 8 rows of 8 pixels
        _, h = self.gru(x)                # h (1, N, hidden)
        return self.head(h[0])            # (N, 10)


def build(name):
    """The models: an MLP on the 64 pixels, a small CNN on the 8×8 image, a GRU over its rows."""
    if name == "rnn":
        return RowGRU()
    if name == "mlp":
        return nn.Sequential(
            nn.Linear(64, 128), nn.ReLU(),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 10),
        )
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # (N, 16, 4, 4)
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (N, 32, 2, 2)
        nn.Flatten(),                                                  # (N, 128)
        nn.Linear(128, 10),
    )


def inputs_for(name, X):
    if name == "rnn":
        return X.reshape(-1, 8, 8)
    return X if name == "mlp" else X.reshape(-1, 1, 8, 8)


def accuracy(model, X, y):
    model.eval()
    with ag.no_grad():
        logits = model(ag.Tensor(X))
    model.train()
    return float(np.mean(logits._data.argmax(axis=1) == y))


def train(name, data, args, log):
    """Train one model; returns its per-epoch history and the trained model."""
    X_train, X_test, y_train, y_test = data
    nn.init.manual_seed(args.seed)
    model = build(name)
    cls, defaults = OPTIMIZERS[args.optimizer]
    opt = cls(model.parameters(), **{**defaults, **({"lr": args.lr} if args.lr else {})})
    epochs = args.epochs or EPOCHS[name]
    schedule = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    Xtr, Xte = inputs_for(name, X_train), inputs_for(name, X_test)
    history = {"loss": [], "train_acc": [], "test_acc": []}
    log(f"\n{name.upper()}: {type(opt).__name__}, {epochs} epochs\n"
        f"{nn.summary(model, input_data=Xtr[:1], verbose=False)}")

    def step(xb, yb):
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    step = ag.compile(step) if getattr(args, "compile", False) else step  # --compile
    bar = _progress(range(1, epochs + 1), name, args.quiet)
    for epoch in bar:
        start, losses = time.perf_counter(), []
        for xb, yb in nn.batches(Xtr, y_train, args.batch_size, shuffle=True,
                                 seed=args.seed + epoch):
            losses.append(step(xb, yb).item())
        schedule.step()
        history["loss"].append(float(np.mean(losses)))
        history["train_acc"].append(accuracy(model, Xtr, y_train))
        history["test_acc"].append(accuracy(model, Xte, y_test))
        line = (f"loss {history['loss'][-1]:.4f}  train {history['train_acc'][-1]:.2%}  "
                f"test {history['test_acc'][-1]:.2%}  {time.perf_counter() - start:.2f} s/epoch")
        if hasattr(bar, "set_postfix_str"):
            bar.set_postfix_str(line)
        elif not args.quiet:
            log(f"epoch {epoch:3d}/{epochs}  {line}")
    log(f"{name.upper()} test accuracy: {history['test_acc'][-1]:.2%}")
    return model, history


def _progress(iterable, name, quiet):
    """A tqdm bar on a terminal; elsewhere (a log file, CI) the plain iterable, so that the
    caller prints one line per epoch instead of a stream of carriage returns."""
    if quiet or not sys.stdout.isatty():
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=name, leave=True, ncols=120, file=sys.stdout)


def write_plot(histories, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(loss curves skipped: matplotlib is not installed; "
              "pip install 'chainrule[plot]' to get loss.png)")
        return None
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for name, h in histories.items():
        epochs = range(1, len(h["loss"]) + 1)
        ax_loss.plot(epochs, h["loss"], label=f"{name} train loss")
        ax_acc.plot(epochs, h["test_acc"], label=f"{name} test accuracy")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="Training loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Test accuracy", ylim=(0.8, 1.0))
    ax_loss.legend()
    ax_acc.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_graph(model, name, X, y, folder):
    """A picture of one forward pass on a 4-example batch, grouped by module."""
    loss = nn.CrossEntropyLoss()(model(ag.Tensor(inputs_for(name, X[:4]))), ag.Tensor(y[:4]))
    graph = ag.viz.draw(loss, model=model)
    dot_path = os.path.join(folder, f"graph_{name}.dot")
    with open(dot_path, "w") as f:
        f.write(graph.source)
    try:
        return graph.render(os.path.join(folder, f"graph_{name}"), format="svg", cleanup=True)
    except Exception as e:  # no `dot` program: the DOT text is still there
        print(f"(could not render the graph picture: {e}; DOT text is in {dot_path})")
        return dot_path


def output_folder(args):
    if args.out is None:
        return os.path.join("out", time.strftime("digits-%Y%m%d-%H%M%S"))
    if os.path.isdir(args.out) and os.listdir(args.out) and not args.overwrite:
        sys.exit(f"chainrule-demo: {args.out} already has files; pass --overwrite to replace "
                 "them, or choose another --out")
    return args.out


EPILOG = """\
what it writes, into the --out folder:
  <model>.npz            trained weights (nn.load, then model.load_state_dict)
  <model>.safetensors    the same weights for PyTorch (safetensors.torch.load_file)
  graph_<model>.svg      the computational graph of one batch, grouped by layer
                         (graph_<model>.dot: its DOT text, also written without Graphviz)
  loss.png               loss and test-accuracy curves (needs the plot extra:
                         pip install 'chainrule[plot]')

The progress bar (plot extra) shows on a terminal; otherwise one line per epoch is printed.
"""


def parser() -> argparse.ArgumentParser:
    """The command line, with every flag explained (`chainrule-demo --help`)."""
    from autograd import __version__

    p = argparse.ArgumentParser(
        prog="chainrule-demo", description=__doc__.split("\n")[0], epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=["mlp", "cnn", "rnn", "both"], default="both",
                   help="which model to train: an MLP on the 64 pixels, a small CNN on the "
                        "8x8 image, a GRU that reads the image row by row, or both the MLP "
                        "and the CNN one after the other (default: both)")
    p.add_argument("--epochs", type=int, default=None,
                   help="passes over the training images, for each model (default: "
                        + ", ".join(f"{n} for {m}" for m, n in EPOCHS.items()) + ")")
    p.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                   help="the optimizer; momentum and nesterov are SGD with momentum 0.9 "
                        "(default: adam)")
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate (default: per optimizer: "
                        + ", ".join(f"{k} {v[1]['lr']:g}" for k, v in OPTIMIZERS.items()) + ")")
    p.add_argument("--batch-size", type=int, default=32,
                   help="examples per optimizer step (default: 32)")
    p.add_argument("--seed", type=int, default=0,
                   help="seed of the initial weights, the train/test split and the batch "
                        "order; the same seed gives the same run (default: 0)")
    p.add_argument("--out", default=None,
                   help="output folder (default: a new out/digits-<date>-<time> folder)")
    p.add_argument("--overwrite", action="store_true",
                   help="allow writing into an --out folder that already has files")
    p.add_argument("--quiet", action="store_true",
                   help="print no progress bar and no per-epoch lines, only the results")
    p.add_argument("--compile", action="store_true",
                   help="train with ag.compile: the step is traced once, then replayed as "
                        "generated NumPy code")
    p.add_argument("--version", action="version", version=f"%(prog)s (chainrule) {__version__}")
    return p


def run(argv: list[str] | None = None) -> dict[str, dict[str, list[float]]]:
    """Parse the command line, train, write the outputs; returns each model's history."""
    args = parser().parse_args(argv)
    folder = output_folder(args)
    X, y = load_digits()
    data = train_test_split(X, y, test_size=0.2, seed=args.seed)
    print(f"UCI digits: {len(data[0])} training and {len(data[1])} test images of 8×8 pixels")
    os.makedirs(folder, exist_ok=True)
    histories = {}
    for name in (["mlp", "cnn"] if args.model == "both" else [args.model]):
        model, histories[name] = train(name, data, args, print)
        nn.save(model.state_dict(), os.path.join(folder, f"{name}.npz"))
        nn.save(model.state_dict(), os.path.join(folder, f"{name}.safetensors"))
        write_graph(model, name, data[0], data[2], folder)
    plot = write_plot(histories, os.path.join(folder, "loss.png"))
    wrote = "the loss curves, graph pictures" if plot else "the graph pictures"
    print(f"\nWrote {wrote} and trained weights to {folder}/:")
    for entry in sorted(os.listdir(folder)):
        print(f"  {entry}")
    first = next(iter(histories))
    print(f"\nNext: load the weights with nn.load('{os.path.join(folder, first)}.npz') and "
          "model.load_state_dict(...), or open the .safetensors file in PyTorch; the lessons "
          "in notebooks/ explain what the graph pictures show.")
    return histories


def main(argv: list[str] | None = None) -> None:
    """The console script: like `run`, but returns nothing (an exit status of 0)."""
    run(argv)


if __name__ == "__main__":
    main()
