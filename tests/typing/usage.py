"""Not a test module: a typical training script that mypy checks in CI (pyproject's [tool.mypy]
lists it), so the public type hints stay usable from a user's own typed code."""

import numpy as np

import autograd as ag
import nn
import optim
from autograd import Tensor


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.1))
        self.head = nn.Linear(32, 10)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))


def train(steps: int) -> float:
    X, y = nn.datasets.load_digits()
    model = Net().train()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    schedule = optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    last = float("nan")
    for _, (xb, yb) in zip(range(steps), nn.batches(X, y, batch_size=32, shuffle=True)):
        loss = loss_fn(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        last = loss.item()
    state: dict[str, np.ndarray] = model.state_dict()
    nn.save(state, "weights.safetensors")
    with ag.no_grad():
        model.eval()(Tensor(X[:2]))
    return last


def derivatives() -> Tensor:
    x = Tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True)
    assert ag.gradcheck(lambda t: (t.tanh() * t).sum(), (x,))
    return ag.hessian(lambda t: (t ** 3).sum(), x)
