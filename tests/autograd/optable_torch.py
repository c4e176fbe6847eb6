"""Op-table cases for PyTorch's spellings and the primitives behind them (reductions with
dim/keepdim, (values, indices) results, cumulative ops, sorting, einsum, the extra unary
functions, remainders and the shape functions). `optable.CASES` includes them, so each runs
through the same value, finite-difference, adjoint and second-order checks as the rest."""

import numpy as np
from optable import Case, args, away, distinct, np_softmax, positive, real

import autograd as ag


def off_grid(*shape):
    """Entries at least 0.1 from every multiple of 0.5 (the jumps of floor, ceil, round)."""
    return lambda rng: rng.integers(-3, 3, shape) + rng.choice([0.15, 0.3, 0.65, 0.85], shape)


def quotients(*shape):
    """(a, b) with a/b at least 0.1 from an integer, so a % b has no jump nearby."""
    def draw(rng):
        b = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
        return b * (rng.integers(-3, 3, shape) + rng.uniform(0.1, 0.9, shape)), b
    return draw


def with_zeros(*shape):
    """Mostly non-zero entries with some exact zeros (one or two per row)."""
    def draw(rng):
        x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
        x[0, 1] = 0.0
        x[-1, 0] = x[-1, -1] = 0.0
        return x
    return draw


def np_cummax(a, axis):
    return np.maximum.accumulate(a, axis=axis)


IDX = np.array([[0, 2, 1], [1, 1, 0]])
MASK = np.array([[True, False, True], [False, False, True]])
PICK = np.array([[2, 0], [1, 1]])


def _reductions():
    cases = []
    for dim in (0, 1, -1, (0, 2)):
        for keepdim in (False, True):
            tag = f"dim={dim},keepdim={keepdim}"
            kw = dict(dim=dim, keepdim=keepdim)
            ax = dict(axis=dim, keepdims=keepdim)
            cases += [
                Case(f"sum[{tag}]", lambda a, kw=kw: a.sum(**kw), lambda a, ax=ax: a.sum(**ax),
                     args(real(2, 3, 4))),
                Case(f"var[{tag}]", lambda a, kw=kw: a.var(**kw),
                     lambda a, ax=ax: a.var(ddof=1, **ax), args(real(2, 3, 4))),
                Case(f"prod[{tag}]", lambda a, kw=kw: a.prod(**kw),
                     lambda a, ax=ax: a.prod(**ax), args(real(2, 3, 4))),
                Case(f"norm[{tag}]", lambda a, kw=kw: a.norm(**kw),
                     lambda a, ax=ax: np.sqrt((a * a).sum(**ax)), args(real(2, 3, 4))),
            ]
    for dim in (0, -1):
        cases += [
            Case(f"max(dim={dim}).values", lambda a, d=dim: a.max(d).values,
                 lambda a, d=dim: a.max(axis=d), args(distinct(3, 4))),
            Case(f"min(dim={dim}, keepdim)[0]", lambda a, d=dim: a.min(d, keepdim=True)[0],
                 lambda a, d=dim: a.min(axis=d, keepdims=True), args(distinct(3, 4))),
            Case(f"logsumexp[dim={dim}]", lambda a, d=dim: ag.logsumexp(a, d),
                 lambda a, d=dim: np.log(np.exp(a).sum(d)), args(real(3, 4))),
            Case(f"softmax[dim={dim}]", lambda a, d=dim: a.softmax(d),
                 lambda a, d=dim: np_softmax(a, d), args(real(3, 4))),
            Case(f"ag.log_softmax[dim={dim}]", lambda a, d=dim: ag.log_softmax(a, dim=d),
                 lambda a, d=dim: np.log(np_softmax(a, d)), args(real(3, 4))),
        ]
    cases += [
        Case("mean[dim]", lambda a: a.mean(1), lambda a: a.mean(1), args(real(3, 4))),
        Case("std[unbiased]", lambda a: a.std(), lambda a: a.std(ddof=1), args(real(3, 4))),
        Case("std[unbiased=False, dim]", lambda a: ag.std(a, 0, unbiased=False),
             lambda a: a.std(0), args(real(3, 4))),
        Case("var[correction=2]", lambda a: a.var(1, correction=2),
             lambda a: a.var(1, ddof=2), args(real(3, 4))),
        Case("amax", lambda a: ag.amax(a, dim=(0, 1)), lambda a: a.max((0, 1)),
             args(distinct(2, 3, 2))),
        Case("amin", lambda a: a.amin(-1, keepdim=True), lambda a: a.min(-1, keepdims=True),
             args(distinct(2, 3))),
        Case("prod[all]", lambda a: ag.prod(a), lambda a: a.prod(), args(real(2, 3))),
        Case("prod[one zero per row]", lambda a: a.prod(1), lambda a: a.prod(1),
             args(with_zeros(3, 4))),
        Case("prod[zeros, all]", lambda a: a.prod(), lambda a: a.prod(), args(with_zeros(3, 3))),
        Case("norm[p=1]", lambda a: a.norm(1), lambda a: np.abs(a).sum(),
             args(away(0.0, shape=(3, 4)))),
        Case("norm[p=3, dim]", lambda a: ag.norm(a, 3, dim=1),
             lambda a: (np.abs(a) ** 3).sum(1) ** (1 / 3), args(away(0.0, shape=(3, 4)))),
        Case("norm[inf]", lambda a: a.norm(float("inf")), lambda a: np.abs(a).max(),
             args(distinct(3, 4))),
        Case("norm[0-d]", lambda a: a.norm(), lambda a: np.abs(a), args(away(0.0, shape=()))),
    ]
    return cases


def _scans_and_sorts():
    return [
        Case("cumsum[dim=0]", lambda a: a.cumsum(0), lambda a: a.cumsum(0), args(real(3, 4))),
        Case("ag.cumsum[dim=-1]", lambda a: ag.cumsum(a, dim=-1), lambda a: a.cumsum(-1),
             args(real(2, 3, 4))),
        Case("cumprod", lambda a: a.cumprod(1), lambda a: a.cumprod(1),
             args(away(0.0, shape=(2, 4)))),
        Case("cumprod[zeros]", lambda a: ag.cumprod(a, 1), lambda a: a.cumprod(1),
             args(with_zeros(3, 4))),
        Case("cummax.values", lambda a: a.cummax(1).values, lambda a: np_cummax(a, 1),
             args(distinct(3, 4))),
        Case("cummin[0]", lambda a: ag.cummin(a, 0)[0], lambda a: np.minimum.accumulate(a, 0),
             args(distinct(4, 3))),
        Case("sort.values", lambda a: a.sort().values, lambda a: np.sort(a, -1),
             args(distinct(3, 4))),
        Case("sort[descending, dim=0]", lambda a: ag.sort(a, 0, descending=True)[0],
             lambda a: -np.sort(-a, 0), args(distinct(3, 4))),
        Case("topk", lambda a: a.topk(2).values, lambda a: -np.sort(-a, -1)[..., :2],
             args(distinct(3, 4))),
        Case("topk[smallest, dim=0]", lambda a: ag.topk(a, 2, dim=0, largest=False)[0],
             lambda a: np.sort(a, 0)[:2], args(distinct(4, 3))),
        Case("median", lambda a: a.median(), np.median, args(distinct(3, 3))),
        Case("median[dim]", lambda a: a.median(1).values, lambda a: np.sort(a, 1)[:, 1],
             args(distinct(2, 4))),
        Case("kthvalue", lambda a: ag.kthvalue(a, 2, 0, keepdim=True)[0],
             lambda a: np.sort(a, 0)[1:2], args(distinct(3, 2))),
        Case("gather", lambda a: a.gather(1, ag.Tensor(IDX)), lambda a: np.take_along_axis(
            a, IDX, 1), args(real(2, 3))),
    ]


def _shapes():
    return [
        Case("view", lambda a: a.view(4, -1), lambda a: a.reshape(4, -1), args(real(2, 3, 2))),
        Case("view_as", lambda a, b: a.view_as(b) + b, lambda a, b: a.reshape(b.shape) + b,
             args(real(6), real(2, 3))),
        Case("permute", lambda a: a.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1),
             args(real(2, 3, 4))),
        Case("ag.permute[tuple]", lambda a: ag.permute(a, (1, 0, 2)),
             lambda a: a.transpose(1, 0, 2), args(real(2, 3, 4))),
        Case("transpose[swap]", lambda a: a.transpose(0, 2), lambda a: a.swapaxes(0, 2),
             args(real(2, 3, 4))),
        Case("ag.transpose[swap]", lambda a: ag.transpose(a, -1, 0), lambda a: a.swapaxes(-1, 0),
             args(real(2, 3))),
        Case("t", lambda a: a.t(), lambda a: a.T, args(real(2, 3))),
        Case("unsqueeze", lambda a: a.unsqueeze(1), lambda a: a[:, None], args(real(2, 3))),
        Case("unsqueeze[-1]", lambda a: ag.unsqueeze(a, -1), lambda a: a[..., None],
             args(real(2, 3))),
        Case("squeeze[dim no-op]", lambda a: a.squeeze(0) * 1.0, lambda a: a * 1.0,
             args(real(2, 1))),
        Case("squeeze[dim]", lambda a: a.squeeze(1), lambda a: a[:, 0], args(real(2, 1))),
        Case("flatten[1]", lambda a: a.flatten(1), lambda a: a.reshape(2, -1),
             args(real(2, 3, 4))),
        Case("flatten[0, 1]", lambda a: ag.flatten(a, 0, 1), lambda a: a.reshape(6, 4),
             args(real(2, 3, 4))),
        Case("expand", lambda a: a.expand(2, -1, 3), lambda a: np.broadcast_to(a, (2, 4, 3)),
             args(real(4, 1))),
        Case("expand_as", lambda a, b: a.expand_as(b) * b, lambda a, b: a * b,
             args(real(3), real(2, 3))),
        Case("repeat", lambda a: a.repeat(2, 3), lambda a: np.tile(a, (2, 3)), args(real(2, 2))),
        Case("repeat[new dims]", lambda a: a.repeat(2, 1, 2), lambda a: np.tile(a, (2, 1, 2)),
             args(real(3))),
        Case("split[size]", lambda a: a.split(2)[1] * a.split(2)[2].sum(),
             lambda a: a[2:4] * a[4:].sum(), args(real(5, 2))),
        Case("split[sizes, dim]", lambda a: ag.split(a, [1, 2], dim=1)[1],
             lambda a: a[:, 1:], args(real(2, 3))),
        Case("chunk", lambda a: a.chunk(2, 1)[1], lambda a: a[:, 2:], args(real(2, 3))),
        Case("unbind", lambda a: a.unbind(1)[2] * a.unbind(1)[0],
             lambda a: a[:, 2] * a[:, 0], args(real(2, 3))),
        Case("narrow", lambda a: a.narrow(1, 1, 2), lambda a: a[:, 1:3], args(real(2, 4))),
        Case("select", lambda a: a.select(0, -1), lambda a: a[-1], args(real(2, 4))),
        Case("contiguous", lambda a: a.T.contiguous() * 1.0, lambda a: a.T * 1.0,
             args(real(2, 3))),
        Case("clone", lambda a: a.clone(), lambda a: a.copy(), args(real(2, 3))),
        Case("flip", lambda a: a.flip(0), lambda a: a[::-1], args(real(3, 2))),
        Case("ag.flip[dims]", lambda a: ag.flip(a, (0, 2)), lambda a: a[::-1, :, ::-1],
             args(real(2, 3, 2))),
        Case("tril", lambda a: a.tril(), np.tril, args(real(3, 4))),
        Case("triu[diagonal=1]", lambda a: ag.triu(a, diagonal=1), lambda a: np.triu(a, 1),
             args(real(2, 3, 3))),
        Case("diagonal", lambda a: a.diagonal(), lambda a: np.diagonal(a), args(real(3, 4))),
        Case("diagonal[offset, dims]", lambda a: ag.diagonal(a, -1, 1, 2),
             lambda a: np.diagonal(a, -1, 1, 2), args(real(2, 3, 4))),
        Case("trace", lambda a: a.trace(), np.trace, args(real(3, 3))),
        Case("cat[dim]", lambda a, b: ag.cat([a, b], dim=1), lambda a, b: np.concatenate(
            [a, b], 1), args(real(2, 1), real(2, 3))),
        Case("stack[dim]", lambda a, b: ag.stack((a, b), dim=-1), lambda a, b: np.stack(
            (a, b), -1), args(real(3), real(3))),
        Case("getitem[int mixed with index array]", lambda a: a[1, :, IDX],
             lambda a: np.moveaxis(a[1][:, IDX], 0, 2).transpose(2, 0, 1), args(real(2, 3, 3))),
        Case("getitem[ints around slice and array]", lambda a: a[0, 1:3, 1, PICK],
             lambda a: a[0][1:3, 1][:, PICK], args(real(2, 3, 2, 3))),
        Case("masked_fill", lambda a: a.masked_fill(ag.Tensor(MASK), -1.0),
             lambda a: np.where(MASK, -1.0, a), args(real(2, 3))),
        Case("ag.masked_fill[row mask]", lambda a: ag.masked_fill(a, MASK[0], 0.5),
             lambda a: np.where(MASK[0], 0.5, a), args(real(2, 3))),
    ]


def np_scatter_add(a, src):
    out = a.copy()
    for i in range(PICK.shape[0]):
        for j in range(PICK.shape[1]):
            out[i, PICK[i, j]] += src[i, j]
    return out


def _placing():
    distinct_pick = np.array([[2, 0], [1, 2]])
    return [
        Case("index_select", lambda a: a.index_select(1, ag.Tensor(np.array([2, 0, 2]))),
             lambda a: a[:, [2, 0, 2]], args(real(2, 3))),
        Case("masked_select", lambda a: ag.masked_select(a, ag.Tensor(MASK[0])),
             lambda a: a[np.broadcast_to(MASK[0], a.shape)], args(real(2, 3))),
        Case("scatter", lambda a, b: a.scatter(1, ag.Tensor(distinct_pick), b),
             lambda a, b: _np_put(a, b, distinct_pick),
             args(real(2, 3), real(2, 2))),
        Case("scatter_add[repeats]", lambda a, b: ag.scatter_add(a, 1, ag.Tensor(PICK), b),
             lambda a, b: np_scatter_add(a, b), args(real(2, 3), real(2, 2))),
        Case("roll", lambda a: a.roll((1, -1), (0, 1)), lambda a: np.roll(a, (1, -1), (0, 1)),
             args(real(2, 3))),
        Case("repeat_interleave", lambda a: a.repeat_interleave(2, 1),
             lambda a: np.repeat(a, 2, 1), args(real(2, 3))),
        Case("diag[vector]", lambda a: ag.diag(a, -1), lambda a: np.diag(a, -1), args(real(3))),
        Case("diag[matrix]", lambda a: a.diag(1), lambda a: np.diag(a, 1), args(real(3, 3))),
    ]


def _arranging():
    return [
        Case("movedim", lambda a: a.movedim(0, -1), lambda a: np.moveaxis(a, 0, -1),
             args(real(2, 3, 4))),
        Case("take_along_dim", lambda a: ag.take_along_dim(a, ag.Tensor(PICK), 1),
             lambda a: np.take_along_axis(a, PICK, 1), args(real(2, 3))),
        Case("tile", lambda a: a.tile((2, 1)), lambda a: np.tile(a, (2, 1)), args(real(2, 3))),
        Case("diff", lambda a: a.diff(n=2), lambda a: np.diff(a, 2), args(real(2, 4))),
        Case("kron", lambda a, b: ag.kron(a, b), np.kron, args(real(2, 2), real(2, 3))),
        Case("cross", lambda a, b: ag.cross(a, b, dim=1), lambda a, b: np.cross(a, b, axis=1),
             args(real(2, 3), real(2, 3))),
        Case("cdist", lambda a, b: ag.cdist(a, b), lambda a, b: np.sqrt(
            ((a[:, None] - b[None]) ** 2).sum(-1)), args(real(3, 2), real(2, 2))),
        Case("fmax", lambda a, b: ag.fmax(a, b), np.fmax, args(real(2, 3), real(2, 3))),
        Case("exp2", lambda a: a.exp2(), np.exp2, args(real(2, 3))),
    ]


def _np_put(a, b, pick):
    out = a.copy()
    np.put_along_axis(out, pick, b, 1)
    return out


def _elementwise():
    return [
        Case("log10", lambda a: a.log10(), np.log10, args(positive(2, 3))),
        Case("log2", lambda a: ag.log2(a), np.log2, args(positive(2, 3))),
        Case("log1p", lambda a: a.log1p(), np.log1p, args(positive(2, 3))),
        Case("expm1", lambda a: ag.expm1(a), np.expm1, args(real(2, 3))),
        Case("rsqrt", lambda a: a.rsqrt(), lambda a: 1 / np.sqrt(a), args(positive(2, 3))),
        Case("square", lambda a: ag.square(a), np.square, args(real(2, 3))),
        Case("reciprocal", lambda a: a.reciprocal(), lambda a: 1 / a, args(positive(2, 3))),
        Case("tan", lambda a: a.tan(), np.tan, args(away(shape=(2, 3), low=-1.2, high=1.2))),
        Case("asin", lambda a: ag.asin(a), np.arcsin, args(away(shape=(2, 3), low=-.9, high=.9))),
        Case("acos", lambda a: a.acos(), np.arccos, args(away(shape=(2, 3), low=-.9, high=.9))),
        Case("atan", lambda a: a.arctan(), np.arctan, args(real(2, 3))),
        Case("sinh", lambda a: a.sinh(), np.sinh, args(real(2, 3))),
        Case("cosh", lambda a: ag.cosh(a), np.cosh, args(real(2, 3))),
        Case("sign", lambda a: a.sign() * a, lambda a: np.sign(a) * a, args(away(0.0, shape=(3,)))),
        Case("floor", lambda a: a.floor() + a, lambda a: np.floor(a) + a, args(off_grid(2, 3))),
        Case("ceil", lambda a: ag.ceil(a), np.ceil, args(off_grid(2, 3))),
        Case("round", lambda a: a.round() * a, lambda a: np.round(a) * a, args(off_grid(2, 3))),
        Case("trunc", lambda a: ag.trunc(a) - a, lambda a: np.trunc(a) - a, args(off_grid(2, 3))),
        Case("frac", lambda a: a.frac(), lambda a: a - np.trunc(a), args(off_grid(2, 3))),
        Case("remainder", lambda a, b: a % b, np.remainder, quotients(2, 3)),
        Case("ag.remainder[scalar]", lambda a: ag.remainder(a, 0.75), lambda a: np.remainder(
            a, 0.75), args(off_grid(2, 3))),
        Case("fmod", lambda a, b: ag.fmod(a, b), np.fmod, quotients(2, 3)),
        Case("clamp", lambda a: a.clamp(-0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5),
             args(away(-0.5, 0.5, shape=(3, 4)))),
        Case("clamp[min=]", lambda a: ag.clamp(a, min=0.25), lambda a: np.clip(a, 0.25, None),
             args(away(0.25, shape=(3, 4)))),
        Case("clip[max=]", lambda a: a.clip(max=0.25), lambda a: np.clip(a, None, 0.25),
             args(away(0.25, shape=(3, 4)))),
        Case("clamp[tensor bounds]", lambda a, lo: a.clamp(lo, 1.0),
             lambda a, lo: np.clip(a, lo, 1.0), args(away(1.0, shape=(2, 3)), real(3))),
        Case("atan2", lambda a, b: ag.atan2(a, b), np.arctan2,
             args(away(0.0, shape=(2, 3)), away(0.0, shape=(2, 3)))),
        Case("lerp", lambda a, b: a.lerp(b, 0.25), lambda a, b: a + 0.25 * (b - a),
             args(real(2, 3), real(3))),
        Case("logaddexp", lambda a, b: ag.logaddexp(a, b), np.logaddexp,
             args(real(2, 3), real(2, 3))),
        Case("pow[method]", lambda a: a.pow(3), lambda a: a ** 3, args(real(2, 3))),
        Case("ag.pow", lambda a, b: ag.pow(a, b), np.power, args(positive(3), real(3))),
        Case("add[alpha]", lambda a, b: ag.add(a, b, alpha=-2.0), lambda a, b: a - 2 * b,
             args(real(2, 3), real(3))),
        Case("sub[alpha]", lambda a, b: a.sub(b, alpha=0.5), lambda a, b: a - 0.5 * b,
             args(real(2, 3), real(2, 3))),
        Case("where[method]", lambda a, b: a.where(ag.Tensor(MASK), b),
             lambda a, b: np.where(MASK, a, b), args(real(2, 3), real(3))),
    ]


def _well_conditioned(*shape):
    """Square matrices near the identity (…, n, n): invertible, with positive determinant."""
    *batch, n = shape
    return lambda rng: np.eye(n) + 0.3 * rng.standard_normal((*batch, n, n))


def _products():
    return [
        Case("mm", lambda a, b: a.mm(b), np.matmul, args(real(2, 3), real(3, 4))),
        Case("bmm", lambda a, b: ag.bmm(a, b), np.matmul, args(real(2, 2, 3), real(2, 3, 2))),
        Case("dot", lambda a, b: a.dot(b), np.dot, args(real(4), real(4))),
        Case("mv", lambda a, b: ag.mv(a, b), np.matmul, args(real(2, 3), real(3))),
        Case("outer", lambda a, b: ag.outer(a, b), np.outer, args(real(3), real(2))),
        Case("einsum[matmul]", lambda a, b: ag.einsum("ij,jk->ik", a, b),
             lambda a, b: np.einsum("ij,jk->ik", a, b), args(real(2, 3), real(3, 4))),
        Case("einsum[implicit, list]", lambda a, b: ag.einsum("ij,kj", [a, b]),
             lambda a, b: np.einsum("ij,kj", a, b), args(real(2, 3), real(4, 3))),
        Case("einsum[trace]", lambda a: ag.einsum("ii", a), np.trace, args(real(3, 3))),
        Case("einsum[diagonal]", lambda a: ag.einsum("ii->i", a), np.diagonal, args(real(3, 3))),
        Case("einsum[sum out]", lambda a, b: ag.einsum("ij,j->", a, b),
             lambda a, b: np.einsum("ij,j->", a, b), args(real(2, 3), real(3))),
        Case("einsum[batched ellipsis]", lambda a, b: ag.einsum("...ij,...jk->...ik", a, b),
             lambda a, b: a @ b, args(real(2, 2, 3), real(2, 3, 2))),
        Case("einsum[three operands]", lambda a, b, c: ag.einsum("i,ij,j->", a, b, c),
             lambda a, b, c: a @ b @ c, args(real(2), real(2, 3), real(3))),
        Case("tensordot", lambda a, b: ag.tensordot(a, b, 1), lambda a, b: np.tensordot(a, b, 1),
             args(real(2, 3), real(3, 2))),
        Case("addmm", lambda c, a, b: ag.addmm(c, a, b, beta=0.5, alpha=2.0),
             lambda c, a, b: 0.5 * c + 2.0 * (a @ b), args(real(2, 2), real(2, 3), real(3, 2))),
        Case("inverse", lambda a: a.inverse(), np.linalg.inv, args(_well_conditioned(3))),
        Case("inverse[batched]", lambda a: ag.inverse(a), np.linalg.inv,
             args(_well_conditioned(2, 2))),
        Case("det", lambda a: a.det(), np.linalg.det, args(_well_conditioned(3))),
        Case("det[batched]", lambda a: ag.det(a), np.linalg.det, args(_well_conditioned(2, 3))),
        Case("logdet", lambda a: ag.logdet(a), lambda a: np.log(np.linalg.det(a)),
             args(_well_conditioned(3))),
        Case("einsum[outer]", lambda a, b: ag.einsum("i,j->ij", a, b), np.outer,
             args(real(3), real(2))),
    ]


def torch_cases():
    return [*_reductions(), *_scans_and_sorts(), *_shapes(), *_placing(), *_arranging(),
            *_elementwise(), *_products()]
