"""Messages: what each edge carries in a sweep, from the ops' own rules.

Reverse mode: the edge from input x into an op that made t carries x's share of t's adjoint,
    message = ḡ_t · ∂t/∂x            (the op's vjp applied to ḡ_t),
and x's adjoint is the sum of the messages on all its outgoing edges (b: 2 + 3 = 5).
Forward mode: the same edge carries
    message = ∂t/∂x · ṫ_x            (the op's jvp with x's tangent in x's slot, zeros elsewhere),
and t's tangent is the sum of the messages on all its incoming edges.
A module drawn as one box is one edge per input: its messages go through the box's ops.
"""

import numpy as np

from .. import mode
from ..reverse import grad
from ..tensor import Tensor
from .derivatives import push, sweep_tangents
from .labels import brief, num

LEGEND = ("how to read the labels\\l"
          "a number on an edge: ∂out/∂in, the local derivative\\l"
          "diag (n,): ∂out/∂in is diagonal (an elementwise op): its entries or their range\\l"
          "J out←in: the Jacobian, shaped (out's shape)×(in's shape)\\l"
          "‖J‖: its Frobenius norm, √Σ J²  (≈: estimated from 8 random directions)\\l"
          "‖·‖: the same norm of an adjoint, tangent or message\\l"
          "local × upstream = message: what the edge carries in the sweep\\l"
          "(for tensors × means ḡ·J in reverse, J·ṫ in forward)\\l")


def _tensor(array, like):
    dtype = np.result_type(like._data.dtype, np.float32)
    return Tensor._make(np.asarray(array, dtype=dtype).reshape(like.shape))


def reverse_op(op, out, slot, adjoint):
    """x's share of out's adjoint, for the input in `slot` of `op`: the op's own vjp."""
    with mode.no_grad(), mode.tangents_enabled(False):
        cotangents = op.vjp(out, _tensor(adjoint, out))
    c = cotangents[slot]
    return None if c is None else np.broadcast_to(c._data, op.inputs[slot].shape)


def reverse_chain(out, x, adjoint):
    """x's share of out's adjoint through a module's ops (one `ag.grad` over that part)."""
    (g,) = grad([out], [x], [_tensor(adjoint, out)], retain_graph=True)
    return None if g is None else g._data


def forward_op(op, out, slot, tangent):
    """What x's tangent adds to out's: the op's jvp with zeros in the other slots."""
    tangents = [None] * len(op.inputs)
    tangents[slot] = tangent
    return push(op, out, tangents)


def forward_chain(members, x, out, tangent):
    """What x's tangent adds to out's through a module's ops."""
    return sweep_tangents(members, {id(x): np.asarray(tangent)}).get(id(out))


def edge_text(local, upstream, message):
    """`1 × 2 = 2` under the local derivative's own label (or in place of a scalar one)."""
    carried = f"× {brief(upstream)} = {brief(message)}"
    if np.size(message) == 1 and "\\n" not in local and not local.startswith(("J", "diag")):
        return f"{local} {carried}"
    return f"{local}\\n{carried}"


def sum_text(word, parts, total):
    """`adjoint 2 + 3 = 5`; for tensors `adjoint = sum of 2 messages` and the total's size."""
    if len(parts) < 2:
        return f"{word} {brief(total)}"
    if all(np.size(p) == 1 for p in parts) and len(parts) <= 6:
        return f"{word} " + " + ".join(num(np.ravel(p)[0]) for p in parts) + f" = {brief(total)}"
    return f"{word} = sum of {len(parts)} messages\\n{brief(total)}"
