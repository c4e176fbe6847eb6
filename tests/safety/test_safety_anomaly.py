"""Anomaly mode: a NaN or inf raises FloatingPointError naming the op and the user's line.

Forward failures point at the line running now; backward failures at the line where the
guilty op was made (recorded in the forward pass). Off by default, thread-local, and a
context manager or a switch.
"""

import threading

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


# NumPy warns about the NaN/inf itself; the suite turns warnings into errors, and here we want
# to see the engine's own FloatingPointError, so NumPy's floating-point warnings are silenced.
def quiet():
    return np.errstate(all="ignore")


def created_at(function, offset=1):
    """The `File "...", line N` that anomaly mode should name for `function`'s body line."""
    code = function.__code__
    return f'File "{code.co_filename}", line {code.co_firstlineno + offset}'


@pytest.fixture(autouse=True)
def anomaly_off_around_each_test():
    assert not ag.is_anomaly_enabled(), "a previous test left anomaly mode on"
    yield
    ag.set_detect_anomaly(False)


def test_off_by_default_and_results_unchanged():
    assert ag.is_anomaly_enabled() is False
    x = Tensor(np.array([-1.0, 0.0, 4.0]), requires_grad=True)
    with quiet():
        y = x.log()                               # NaN and -inf: no error when off
    assert np.isnan(y.numpy()[0]) and np.isneginf(y.numpy()[1])

    def f(x):
        return (x.tanh() * x.exp()).sum() / (x * x + 1.0).sqrt().sum()

    data = np.array([0.3, -1.2, 2.0])
    plain = Tensor(data.copy(), requires_grad=True)
    out_plain = f(plain)
    out_plain.backward()
    with ag.detect_anomaly():
        watched = Tensor(data.copy(), requires_grad=True)
        out_watched = f(watched)
        out_watched.backward()
    assert out_plain.item() == out_watched.item()
    np.testing.assert_array_equal(plain.grad.numpy(), watched.grad.numpy())


def test_forward_nan_names_the_op_and_the_line():
    x = Tensor(np.array([1.0, -1.0]), requires_grad=True)

    def bad():
        return x.log() * 2.0

    with ag.detect_anomaly(), quiet(), pytest.raises(FloatingPointError) as info:
        bad()
    message = str(info.value)
    assert message.startswith("Log produced NaN in its forward pass")
    assert created_at(bad) in message
    assert "x.log() * 2.0" in message                    # the source line itself


def test_forward_inf_without_requires_grad():
    """Anomaly mode watches every op, not only recorded ones."""
    x = Tensor(np.array([1.0, 1000.0]))

    def bad():
        return ag.exp(x)

    with ag.detect_anomaly(), quiet(), pytest.raises(FloatingPointError,
                                                   match=r"^Exp produced inf in its forward"):
        bad()
    with ag.detect_anomaly(), quiet(), pytest.raises(FloatingPointError) as info:
        bad()
    assert created_at(bad) in str(info.value)


def test_forward_division_by_zero():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    zero = Tensor(np.array([1.0, 0.0]))

    def bad():
        return x / zero

    with ag.detect_anomaly(), quiet(), pytest.raises(FloatingPointError) as info:
        bad()
    assert str(info.value).startswith("Divide produced inf in its forward pass")
    assert created_at(bad) in str(info.value)


def test_backward_nan_names_the_op_and_where_it_was_made():
    """sqrt(0) is fine forward; its reverse rule 0 / (2·0) makes the NaN."""
    a = Tensor(np.array([0.0, 4.0]), requires_grad=True)

    def forward():
        root = a.sqrt()
        return (root * Tensor(np.array([0.0, 1.0]))).sum()

    with ag.detect_anomaly():
        loss = forward()                                  # no error yet
        with quiet(), pytest.raises(FloatingPointError) as info:
            loss.backward()
    message = str(info.value)
    assert message.startswith("Sqrt produced NaN in its backward pass")
    assert created_at(forward) in message
    assert "root = a.sqrt()" in message


def test_backward_inf_names_the_op_and_where_it_was_made():
    """0 ** 0.5 = 0 forward; its derivative 0.5 · 0 ** -0.5 is inf."""
    a = Tensor(np.array([0.0, 1.0]), requires_grad=True)

    def forward():
        return (a ** 0.5).sum()

    with ag.detect_anomaly():
        loss = forward()
        with quiet(), pytest.raises(FloatingPointError) as info:
            loss.backward()
    assert str(info.value).startswith("Power produced inf in its backward pass")
    assert created_at(forward) in str(info.value)


def test_without_anomaly_the_nan_gradient_passes_silently():
    a = Tensor(np.array([0.0, 4.0]), requires_grad=True)
    with quiet():
        (a.sqrt() * Tensor(np.array([0.0, 1.0]))).sum().backward()
    assert np.isnan(a.grad.numpy()[0]) and a.grad.numpy()[1] == 0.25


def test_switch_turns_it_on_and_off():
    x = Tensor(np.array([-1.0]), requires_grad=True)
    ag.set_detect_anomaly(True)
    assert ag.is_anomaly_enabled()
    with quiet(), pytest.raises(FloatingPointError, match="Sqrt produced NaN"):
        x.sqrt()
    ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled()
    with quiet():
        assert np.isnan(x.sqrt().numpy()[0])


def test_context_manager_restores_the_previous_state_even_after_an_error():
    x = Tensor(np.array([-1.0]), requires_grad=True)
    with pytest.raises(FloatingPointError), quiet(), ag.detect_anomaly():
        x.log()
    assert not ag.is_anomaly_enabled()

    ag.set_detect_anomaly(True)
    with ag.detect_anomaly(False):
        assert not ag.is_anomaly_enabled()
        with quiet():
            x.log()                                       # off inside: no error
    assert ag.is_anomaly_enabled()                        # back to the switch's setting
    with ag.detect_anomaly():
        with ag.detect_anomaly():
            pass
        assert ag.is_anomaly_enabled()


def test_anomaly_state_is_thread_local():
    seen = {}
    errors = []
    entered, release = threading.Event(), threading.Event()

    def other_thread():
        try:
            seen["start"] = ag.is_anomaly_enabled()       # main thread has it on right now
            ag.set_detect_anomaly(True)                   # only this thread
            entered.set()
            release.wait(5)
            with quiet(), pytest.raises(FloatingPointError):
                Tensor(np.array([-1.0])).log()
        except BaseException as e:  # noqa: BLE001  (re-raised in the main thread)
            errors.append(e)
            entered.set()

    with ag.detect_anomaly():
        worker = threading.Thread(target=other_thread)
        worker.start()
        assert entered.wait(5)
    # The worker switched anomaly on for itself; the main thread left its block: off here.
    assert not ag.is_anomaly_enabled()
    with quiet():
        assert np.isnan(Tensor(np.array([-1.0])).log().numpy()[0])
    release.set()
    worker.join(5)
    if errors:
        raise errors[0]
    assert seen["start"] is False
