"""Graph semantics of reverse mode: shared values, accumulation, retain_graph, the errors
SPEC promises, a million-op chain, and that backward frees the graph it walked."""

import gc
import time
import weakref

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


def leaf(values):
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


# --- shared values -------------------------------------------------------------------------
def test_square_by_self_multiplication_is_2a():
    a = leaf([1.5, -2.0, 3.0])
    (a * a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, -4.0, 6.0])


def test_diamond():
    """a -> b -> (c, d) -> y: both paths through b add up."""
    a = leaf([0.3, -1.2])
    b = a * 2.0
    y = (b.exp() * b.sin()).sum()
    y.backward()
    x = 2 * a.numpy()
    np.testing.assert_allclose(a.grad.numpy(), 2 * np.exp(x) * (np.sin(x) + np.cos(x)))


def test_fan_out_to_three_consumers():
    a = leaf([0.5, 1.0, -2.0])
    (a.sin() + a.cos() + a * 3.0).sum().backward()
    x = a.numpy()
    np.testing.assert_allclose(a.grad.numpy(), np.cos(x) - np.sin(x) + 3.0)


def test_intermediate_used_twice():
    a = leaf([0.1, -0.4])
    t = a.exp()
    (t * t + t).sum().backward()
    x = a.numpy()
    np.testing.assert_allclose(a.grad.numpy(), 2 * np.exp(2 * x) + np.exp(x))


def test_doubling_chain_counts_every_path():
    """y = y + y fifty times: 2**50 paths from y to a, each must be counted once."""
    a = leaf(1.0)
    y = a
    for _ in range(50):
        y = y + y
    y.backward()
    assert a.grad.item() == 2.0 ** 50


def test_inputs_of_one_op_that_are_the_same_tensor():
    a = leaf([2.0, 3.0])
    (a / a).sum().backward()  # d(a/a)/da = 0 exactly: the two edges must not merge
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.0], atol=1e-15)
    b = leaf([2.0, 3.0])
    ag.concatenate([b, b, b]).sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), [3.0, 3.0])


def test_non_leaf_grad_is_not_kept():
    a = leaf([1.0, 2.0])
    h = a * 3.0
    h.sum().backward()
    assert h.grad is None
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 3.0])


def test_leaf_not_requiring_grad_gets_none():
    a, c = leaf([1.0, 2.0]), Tensor(np.array([5.0, 7.0]))
    (a * c).sum().backward()
    assert c.grad is None
    np.testing.assert_allclose(a.grad.numpy(), [5.0, 7.0])


def test_toposort_puts_every_tensor_after_its_inputs():
    a = leaf([1.0])
    b = a * 2.0
    c = b.exp()
    d = b + c
    e = d * c
    order = ag.toposort([e])
    assert [id(t) for t in order] == [id(t) for t in order if t is not a]
    assert len({id(t) for t in order}) == len(order) == 4  # b, c, d, e; the leaf is not listed
    where = {id(t): i for i, t in enumerate(order)}
    for t in order:
        for x in t.grad_fn.inputs:
            if x.grad_fn is not None:
                assert where[id(x)] < where[id(t)]
    assert order[-1] is e


# --- accumulation and clearing -----------------------------------------------------------------
def test_gradients_accumulate_across_backward_calls():
    a = leaf([1.0, -1.0])
    (a * 3.0).sum().backward()
    (a * a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0 + 2.0, 3.0 - 2.0])


def test_setting_grad_to_none_clears():
    a = leaf([1.0, 2.0])
    (a * 5.0).sum().backward()
    a.grad = None
    assert a.grad is None
    (a * a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 4.0])


def test_backward_with_retain_graph_twice_accumulates():
    a = leaf([0.5, 2.0])
    y = (a ** 3).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * 3 * a.numpy() ** 2)


def test_second_backward_without_retain_graph_is_a_clear_error():
    a = leaf([0.5, 2.0])
    y = (a.exp() * 2.0).sum()
    y.backward()
    first = a.grad.numpy().copy()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()
    np.testing.assert_allclose(a.grad.numpy(), first)  # the failed call added nothing


def test_backward_through_a_freed_part_of_the_graph_is_an_error():
    a = leaf([1.0])
    h = a.exp()
    h.sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        (h * 2.0).sum().backward()


def test_second_backward_through_a_shared_freed_part_is_an_error():
    a = leaf([1.0, 2.0])
    h = a.exp()
    y1, y2 = (h * 2.0).sum(), (h * 3.0).sum()
    y1.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y2.backward()


def test_grad_through_a_freed_graph_is_an_error():
    a = leaf([1.0, 2.0])
    h = a.exp()
    y1, y2 = (h * 2.0).sum(), (h * 3.0).sum()
    np.testing.assert_allclose(ag.grad(y1, a)[0].numpy(), 2 * np.exp(a.numpy()))
    with pytest.raises(RuntimeError, match="retain_graph"):
        ag.grad(y2, a)  # today: returns (zeros,) -- a silently wrong gradient


def test_backward_of_a_non_scalar_needs_a_gradient():
    a = leaf([1.0, 2.0, 3.0])
    y = a * 2.0
    with pytest.raises(RuntimeError, match=r"\(3,\)"):
        y.backward()
    y.backward(gradient=Tensor(np.array([1.0, 10.0, 100.0])))
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 20.0, 200.0])


def test_backward_of_a_one_element_non_scalar_is_fine():
    a = leaf([[2.0]])
    (a * a).backward()
    np.testing.assert_allclose(a.grad.numpy(), [[4.0]])


def test_backward_accepts_an_ndarray_gradient():
    a = leaf([1.0, 2.0])
    (a * 3.0).backward(np.array([1.0, -1.0]))
    np.testing.assert_allclose(a.grad.numpy(), [3.0, -3.0])


@pytest.mark.parametrize("make", [
    lambda: Tensor([1.0, 2.0]).sum(),
    lambda: Tensor([1.0, 2.0]),
    lambda: leaf([1.0, 2.0]).detach().sum(),
])
def test_backward_on_a_tensor_without_grad_is_an_error(make):
    with pytest.raises(RuntimeError, match="does not require grad"):
        make().backward()


def test_backward_under_no_grad_made_tensor_is_an_error():
    a = leaf([1.0])
    with ag.no_grad():
        y = (a * 2.0).sum()
    with pytest.raises(RuntimeError):
        y.backward()


def test_gradient_of_the_wrong_shape_is_an_error():
    a = leaf([[1.0, 2.0, 3.0]])
    y = a * 2.0  # (1, 3)
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(1, 3\)"):
        y.backward(Tensor(np.ones(3)))
    assert a.grad is None
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        ag.grad(y, a, Tensor(np.ones((2, 3))))


def test_assigning_a_grad_of_the_wrong_shape_is_an_error():
    a = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match=r"\(3,\)"):
        a.grad = Tensor(np.ones(3))


# --- ag.grad -------------------------------------------------------------------------------------
def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = (a * b).sum()
    one = ag.grad(y, a, retain_graph=True)
    assert isinstance(one, tuple) and len(one) == 1
    np.testing.assert_allclose(one[0].numpy(), b.numpy())
    ga, gb = ag.grad(y, [a, b])
    np.testing.assert_allclose(ga.numpy(), b.numpy())
    np.testing.assert_allclose(gb.numpy(), a.numpy())
    assert a.grad is None and b.grad is None
    assert not ga.requires_grad  # no create_graph: plain values


def test_grad_of_an_unused_input_is_zeros():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0, 5.0])
    ga, gb = ag.grad((a * a).sum(), [a, b])
    np.testing.assert_allclose(ga.numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(gb.numpy(), np.zeros(3))


def test_grad_with_respect_to_an_intermediate():
    a = leaf([1.0, 2.0])
    h = a * 3.0
    y = (h * h).sum()
    gh, ga = ag.grad(y, [h, a])
    np.testing.assert_allclose(gh.numpy(), 2 * h.numpy())
    np.testing.assert_allclose(ga.numpy(), 18 * a.numpy())


def test_grad_of_several_outputs_sums_them():
    a = leaf([1.0, 2.0])
    y1, y2 = (a * a).sum(), (a * 5.0).sum()
    (g,) = ag.grad([y1, y2], a)
    np.testing.assert_allclose(g.numpy(), 2 * a.numpy() + 5.0)
    b = leaf([1.0, 2.0])
    (g,) = ag.grad([b * 2.0, b.exp()], b, [Tensor(np.ones(2)), Tensor(np.array([1.0, 0.0]))])
    np.testing.assert_allclose(g.numpy(), [2.0 + np.e, 2.0])


# --- long chains and freeing ---------------------------------------------------------------------
def test_million_op_chain_backward_without_recursion_error():
    """10**6 multiplications by c: d(sum y)/dx = c**n for each entry, computed iteratively."""
    n, c = 1_000_000, 1.0000001
    factor = Tensor(np.float64(c))  # made once: the loop times the engine, not the wrapping
    x = leaf(np.ones(4))
    y = x
    start = time.perf_counter()
    for _ in range(n):
        y = y * factor
    y.sum().backward()
    elapsed = time.perf_counter() - start
    np.testing.assert_allclose(x.grad.numpy(), np.full(4, c ** n), rtol=1e-9)
    assert elapsed < 120, f"a million-op forward and backward took {elapsed:.0f} s"
    del y
    gc.collect()


def test_backward_frees_the_graph():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    probe = weakref.ref(h)
    y = (h.exp() * 3.0).sum()
    del h
    assert probe() is not None  # alive while the graph holds it
    y.backward()
    assert probe() is None, "an intermediate outlived backward (graph not freed, or a cycle)"
    np.testing.assert_allclose(x.grad.numpy(), 6 * np.exp(2 * x.numpy()))


def test_retain_graph_keeps_the_graph_until_the_last_backward():
    x = leaf([1.0, 2.0])
    h = x.sin()
    probe = weakref.ref(h)
    y = (h * h).sum()
    del h
    y.backward(retain_graph=True)
    assert probe() is not None
    y.backward()
    assert probe() is None
    np.testing.assert_allclose(x.grad.numpy(), 2 * 2 * np.sin(x.numpy()) * np.cos(x.numpy()))


def test_dropping_the_output_frees_the_graph():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    probe = weakref.ref(h)
    y = (h.tanh() * 3.0).sum()
    del h, y
    assert probe() is None, "the graph is kept alive by a reference cycle"


def test_repeated_indices_accumulate():
    x = leaf([10.0, 20.0, 30.0])
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])
    y = leaf([[1.0, 2.0], [3.0, 4.0]])
    (y[np.array([1, 1]), np.array([0, 0])] * Tensor(np.array([2.0, 5.0]))).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [[0.0, 0.0], [7.0, 0.0]])
