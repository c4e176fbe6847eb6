"""`einsum`: sums of products named by index letters, as one primitive.

The reverse rule of an operand is itself an einsum: the output's cotangent and the other
operands, contracted to that operand's letters. A letter only that operand has is summed
out in the forward pass, so the rule brings it back by contracting with ones of its size; a
letter it repeats (a diagonal, "ii") is placed back on that diagonal by a scatter.
"""

import string

import numpy as np

from ..op import Op
from ..shapes import ShapeError
from ._util import as_tensor, const
from .shape import IndexAdd


class Einsum(Op):
    """out = einsum("s₁,…,sₙ->o", a₁, …, aₙ)      vjp: gₖ = einsum("o,…(sᵢ, i≠k)…->sₖ", g, …)
    jvp: Σₖ einsum(spec, a₁, …, daₖ, …, aₙ)"""

    __slots__ = ("spec",)

    def __init__(self, spec):
        self.spec = spec  # explicit: every operand's letters and the output's, no "..."

    def forward(self, *arrays):
        return np.asarray(np.einsum(self.spec, *arrays, optimize=len(arrays) > 2))

    def vjp(self, out, g):
        lhs, result = self.spec.split("->")
        subs = lhs.split(",")
        grads = []
        for k, (sub, a) in enumerate(zip(subs, self.inputs)):
            if not a._requires_grad:
                grads.append(None)
                continue
            others = [(s, t) for i, (s, t) in enumerate(zip(subs, self.inputs)) if i != k]
            unique = "".join(dict.fromkeys(sub))
            elsewhere = set(result).union(*(s for s, _ in others))
            terms = [(result, g)] + others
            if set(unique) - elsewhere:  # letters summed out of this operand alone
                ones = np.broadcast_to(np.ones((), dtype=g.dtype), a.shape)
                terms.append((sub, const(ones, g.dtype)))
            spec = ",".join(s for s, _ in terms) + "->" + unique
            grad = Einsum(spec)(*(t for _, t in terms))
            if unique != sub:  # a repeated letter: the gradient lives on that diagonal
                sizes = dict(zip(sub, a.shape))
                index = tuple(np.arange(sizes[c]).reshape(
                    [sizes[c] if u == c else 1 for u in unique]) for c in sub)
                grad = IndexAdd(a.shape, index)(grad)
            grads.append(grad)
        return tuple(grads)

    def jvp(self, out, *tangents):
        total = None
        for k, da in enumerate(tangents):
            operands = list(self.inputs)
            operands[k] = da
            term = Einsum(self.spec)(*operands)
            total = term if total is None else total + term
        return total


def _explicit(equation, shapes):
    """The equation with '...' spelled out in spare letters and the output made explicit
    (implicit mode: the '...' letters, then every letter used once, in alphabetical order)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(shapes):
        raise ShapeError(f"einsum: '{equation}' names {len(subs)} operands, got {len(shapes)}")
    spare = [c for c in string.ascii_letters if c not in eq]
    width = max((len(shape) - len(s) + 3 for s, shape in zip(subs, shapes) if "..." in s),
                default=0)
    letters = "".join(spare[:width])

    def expand(s, ndim):
        n = ndim - len(s) + 3
        return s.replace("...", letters[width - n:] if n > 0 else "") if "..." in s else s

    subs = [expand(s, len(shape)) for s, shape in zip(subs, shapes)]
    for s, shape in zip(subs, shapes):
        if len(s) != len(shape) or not all(c.isalpha() for c in s):
            raise ShapeError(f"einsum: subscripts '{s}' do not fit an operand of shape {shape} "
                             f"in '{equation}'")
    if arrow:
        out = rhs.replace("...", letters)
    else:
        joined = "".join(subs)
        out = letters + "".join(sorted(c for c in set(joined) if joined.count(c) == 1
                                       and c not in letters))
    sizes = {}
    for s, shape in zip(subs, shapes):
        for c, n in zip(s, shape):
            if sizes.setdefault(c, n) != n:
                raise ShapeError(f"einsum: index '{c}' has size {sizes[c]} in one operand and "
                                 f"{n} in another in '{equation}' (shapes {list(shapes)})")
    return ",".join(subs) + "->" + out


def einsum(equation, *operands):
    """einsum(equation, a, b, …) or einsum(equation, [a, b, …]), differentiable in every
    operand."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    tensors = [as_tensor(t) for t in operands]
    return Einsum(_explicit(equation, [t.shape for t in tensors]))(*tensors)
