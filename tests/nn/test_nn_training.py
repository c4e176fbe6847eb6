"""End to end: small models learn small problems with a hand-written SGD loop (no optim), in
float32, in a few seconds: XOR, two moons, and a CNN on the 8x8 digits."""

import time

import numpy as np

import autograd as ag
import nn
import nn.functional as F
from autograd import Tensor
from nn.datasets import load_digits, train_test_split


def sgd_step(model, lr):
    with ag.no_grad():
        for p in model.parameters():
            p.data -= lr * p.grad.data


def accuracy(model, X, y):
    model.eval()
    with ag.no_grad():
        pred = model(Tensor(X)).numpy().argmax(axis=1)
    model.train()
    return float((pred == y).mean())


def two_moons(n, noise, seed):
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, np.pi, n)
    upper = rng.uniform(size=n) < 0.5
    x = np.where(upper, np.cos(angle), 1 - np.cos(angle))
    y = np.where(upper, np.sin(angle), 0.5 - np.sin(angle))
    X = np.stack([x, y], axis=1) + noise * rng.standard_normal((n, 2))
    return X.astype(np.float32), upper.astype(np.int64)


def test_xor_is_learned_exactly():
    nn.manual_seed(0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0])
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
    for _ in range(500):
        loss = F.cross_entropy(model(Tensor(X)), y)
        model.zero_grad()
        loss.backward()
        sgd_step(model, 0.5)
    assert loss.item() < 0.05, loss.item()
    assert accuracy(model, X, y) == 1.0


def test_two_moons_mlp_with_dropout_and_batchnorm_reaches_97_percent():
    nn.manual_seed(0)
    X, y = two_moons(600, 0.1, seed=0)
    X_test, y_test = two_moons(400, 0.1, seed=1)
    model = nn.Sequential(nn.Linear(2, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.1),
                          nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    start = time.perf_counter()
    for epoch in range(60):
        for xb, yb in nn.batches(X, y, batch_size=32, seed=epoch):
            loss = nn.CrossEntropyLoss()(model(xb), yb)
            model.zero_grad()
            loss.backward()
            sgd_step(model, 0.1)
    elapsed = time.perf_counter() - start
    assert accuracy(model, X_test, y_test) >= 0.97
    assert elapsed < 30, f"two moons took {elapsed:.1f} s"


def test_binary_logistic_output_with_bce_with_logits():
    nn.manual_seed(1)
    X, y = two_moons(400, 0.1, seed=2)
    model = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.1), nn.Linear(32, 32),
                          nn.LeakyReLU(0.1), nn.Linear(32, 1))
    for epoch in range(40):
        for xb, yb in nn.batches(X, y, batch_size=32, seed=epoch):
            logits = model(xb).reshape(-1)
            loss = F.binary_cross_entropy_with_logits(logits, yb.numpy().astype(np.float32))
            model.zero_grad()
            loss.backward()
            sgd_step(model, 0.2)
    with ag.no_grad():
        pred = model(Tensor(X)).numpy().reshape(-1) > 0
    assert (pred == y).mean() >= 0.95


def test_small_cnn_learns_digits_in_seconds():
    nn.manual_seed(0)
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X.reshape(-1, 1, 8, 8), y, 0.2, seed=0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (N, 8, 4, 4)
        nn.Flatten(), nn.Linear(8 * 4 * 4, 10))
    start = time.perf_counter()
    epochs = 6
    for epoch in range(epochs):
        for xb, yb in nn.batches(X_train, y_train, batch_size=64, seed=epoch):
            loss = F.cross_entropy(model(xb), yb)
            model.zero_grad()
            loss.backward()
            sgd_step(model, 0.1)
    per_epoch = (time.perf_counter() - start) / epochs
    assert model[0].weight.dtype == np.float32
    assert accuracy(model, X_test, y_test) >= 0.85
    assert per_epoch < 5.0, f"{per_epoch:.2f} s per epoch"
