"""Every tensor op of the PyTorch dialect, written ONCE against a module `m` and run with
`m = torch` and `m = autograd`: the same program must give the same values, dtypes and
gradients. This is the port test in miniature — a PyTorch line runs unchanged here."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(0)
X = rng.standard_normal((3, 4)).astype(np.float32)            # distinct entries: no ties
X3 = rng.standard_normal((2, 3, 4)).astype(np.float32)
SQ = rng.standard_normal((3, 3)).astype(np.float32)
V = rng.standard_normal(4).astype(np.float32)
POS = rng.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
INTS = np.array([[5, -3, 7], [-8, 2, 0]], dtype=np.int64)
PICK = np.array([[0, 2], [1, 1]])
WELL = (np.eye(3) + 0.3 * rng.standard_normal((3, 3))).astype(np.float32)
ODD = np.array([np.inf, np.nan, -np.inf, 1.0], dtype=np.float32)
Z = np.array([[1.5, 0.0, -2.0, 3.0], [0.0, 0.0, 2.0, 1.0]], dtype=np.float32)  # zeros in prod


def make(m, array, grad):
    if m is torch:
        return torch.tensor(array, requires_grad=grad)
    return ag.Tensor(array, requires_grad=grad)


CASES = {
    # --- reductions with dim/keepdim (positional and keyword) -------------------------------
    "sum(dim=1)": (lambda m, x: x.sum(dim=1), X),
    "sum((0, 2), keepdim=True)": (lambda m, x: x.sum((0, 2), keepdim=True), X3),
    "torch.sum(x, 1)": (lambda m, x: m.sum(x, 1), X),
    "mean(-1)": (lambda m, x: x.mean(-1), X3),
    "mean(dim=0, keepdim=True)": (lambda m, x: m.mean(x, dim=0, keepdim=True), X),
    "max()": (lambda m, x: x.max(), X),
    "max(1)": (lambda m, x: x.max(1), X),
    "max(dim=0, keepdim=True)": (lambda m, x: x.max(dim=0, keepdim=True), X),
    "torch.max(x, 1)": (lambda m, x: m.max(x, 1), X),
    "max(1).values": (lambda m, x: x.max(1).values, X),
    "max(1)[1]": (lambda m, x: x.max(1)[1], X),
    "min(0)": (lambda m, x: x.min(0), X),
    "torch.min(x, dim=1)": (lambda m, x: m.min(x, dim=1), X),
    "max(other)": (lambda m, x: x.max(x.flip(0)), X),
    "torch.max(a, b)": (lambda m, x: m.max(x, x * 0.5), X),
    "amax": (lambda m, x: m.amax(x, dim=(0, 2)), X3),
    "var()": (lambda m, x: x.var(), X),
    "var(1)": (lambda m, x: x.var(1), X),
    "var(unbiased=False)": (lambda m, x: x.var(unbiased=False), X),
    "var(0, correction=0)": (lambda m, x: x.var(0, correction=0), X),
    "var(dim=1, keepdim=True)": (lambda m, x: m.var(x, dim=1, keepdim=True), X),
    "std()": (lambda m, x: x.std(), X),
    "std(1, unbiased=False)": (lambda m, x: m.std(x, 1, unbiased=False), X),
    "logsumexp(1)": (lambda m, x: m.logsumexp(x, 1), X),
    "logsumexp(dim=-1, keepdim=True)": (lambda m, x: x.logsumexp(dim=-1, keepdim=True), X3),
    "prod()": (lambda m, x: x.prod(), POS),
    "prod(1)": (lambda m, x: x.prod(1), X),
    "prod with zeros": (lambda m, x: x.prod(1), Z),
    "prod(0, keepdim) with zeros": (lambda m, x: m.prod(x, 0, keepdim=True), Z),
    "norm()": (lambda m, x: x.norm(), X),
    "norm(dim=1)": (lambda m, x: x.norm(dim=1), X),
    "norm(p=1, dim=0)": (lambda m, x: x.norm(p=1, dim=0), X),
    "norm(3)": (lambda m, x: m.norm(x, 3), X),
    "argmax()": (lambda m, x: x.argmax(), X),
    "argmax(dim=1)": (lambda m, x: m.argmax(x, dim=1), X),
    "argmin(0, keepdim=True)": (lambda m, x: x.argmin(0, keepdim=True), X),
    "any(1)": (lambda m, x: (x > 1).any(1), X),
    "all()": (lambda m, x: m.all(x > -5), X),
    "any(dim=0, keepdim=True)": (lambda m, x: (x > 0).any(dim=0, keepdim=True), X),
    "softmax(x, 0)": (lambda m, x: m.softmax(x, 0), X),
    "softmax(dim=-1)": (lambda m, x: x.softmax(dim=-1), X3),
    "log_softmax(1)": (lambda m, x: m.log_softmax(x, dim=1), X),
    "softmax 0-d": (lambda m, x: m.softmax(x.sum(), 0), X),
    # --- scans, sorting ----------------------------------------------------------------------
    "cumsum(1)": (lambda m, x: x.cumsum(1), X),
    "cumsum(dim=0)": (lambda m, x: m.cumsum(x, dim=0), X),
    "cumsum int": (lambda m, x: x.cumsum(0), INTS),
    "cumprod(1)": (lambda m, x: x.cumprod(1), X),
    "cumprod with zeros": (lambda m, x: m.cumprod(x, 1), Z),
    "cummax(1)": (lambda m, x: x.cummax(1), X),
    "cummin(0)": (lambda m, x: m.cummin(x, 0), X),
    "sort()": (lambda m, x: x.sort(), X),
    "sort(0, descending=True)": (lambda m, x: m.sort(x, 0, descending=True), X),
    "argsort(descending)": (lambda m, x: x.argsort(dim=1, descending=True), X),
    "topk(2)": (lambda m, x: x.topk(2), X),
    "topk(2, dim=0, largest=False)": (lambda m, x: m.topk(x, 2, dim=0, largest=False), X),
    "gather": (lambda m, x: x.gather(1, x.argsort(1)[:, :2]), X),
    # --- shapes ------------------------------------------------------------------------------
    "view(-1)": (lambda m, x: x.view(-1), X),
    "view(2, -1)": (lambda m, x: x.view(2, -1), X3),
    "view((4, 3))": (lambda m, x: x.view((4, 3)), X),
    "view_as": (lambda m, x: x.view_as(x.t()), X),
    "reshape(4, 3)": (lambda m, x: x.reshape(4, 3), X),
    "torch.reshape": (lambda m, x: m.reshape(x, (2, -1)), X),
    "permute": (lambda m, x: x.permute(2, 0, 1), X3),
    "torch.permute": (lambda m, x: m.permute(x, (1, 2, 0)), X3),
    "transpose(0, 1)": (lambda m, x: x.transpose(0, 1), X3),
    "transpose(-1, -2)": (lambda m, x: m.transpose(x, -1, -2), X3),
    "t()": (lambda m, x: x.t(), X),
    ".T": (lambda m, x: x.T, X),
    "unsqueeze(1)": (lambda m, x: x.unsqueeze(1), X),
    "torch.unsqueeze(x, -1)": (lambda m, x: m.unsqueeze(x, -1), X),
    "squeeze()": (lambda m, x: x.view(1, 3, 1, 4).squeeze(), X),
    "squeeze(1) no-op": (lambda m, x: x.squeeze(1), X),
    "squeeze(dim=0)": (lambda m, x: x.unsqueeze(0).squeeze(dim=0), X),
    "flatten()": (lambda m, x: x.flatten(), X3),
    "flatten(1)": (lambda m, x: x.flatten(1), X3),
    "flatten(0, 1)": (lambda m, x: m.flatten(x, 0, 1), X3),
    "expand": (lambda m, x: x[:, :1].expand(3, 5), X),
    "expand(-1, ...)": (lambda m, x: x.unsqueeze(0).expand(2, -1, -1), X),
    "expand_as": (lambda m, x: x[0].expand_as(x), X),
    "repeat(2, 1)": (lambda m, x: x.repeat(2, 1), X),
    "repeat(2, 1, 3)": (lambda m, x: x.repeat(2, 1, 3), X),
    "contiguous": (lambda m, x: x.t().contiguous().view(-1), X),
    "split(2)": (lambda m, x: x.split(2, dim=1), X),
    "split(2) uneven": (lambda m, x: m.split(x, 2), X),
    "split([1, 3], 1)": (lambda m, x: x.split([1, 3], 1), X),
    "chunk(2)": (lambda m, x: x.chunk(2), X),
    "chunk(3, dim=1)": (lambda m, x: m.chunk(x, 3, dim=1), X),
    "unbind(1)": (lambda m, x: x.unbind(1), X),
    "narrow": (lambda m, x: x.narrow(1, 1, 2), X),
    "select": (lambda m, x: x.select(1, -1), X),
    "clone": (lambda m, x: x.clone(), X),
    "flip(0)": (lambda m, x: x.flip(0), X),
    "flip(0, 2)": (lambda m, x: m.flip(x, (0, 2)), X3),
    "flip(dims=[1])": (lambda m, x: x.flip(dims=[1]), X3),
    "permute(dims=...)": (lambda m, x: m.permute(x, dims=(2, 1, 0)), X3),
    "expand(size=...)": (lambda m, x: x[:1].expand(size=(2, 4)), X),
    "tril": (lambda m, x: x.tril(), X),
    "triu(diagonal=1)": (lambda m, x: m.triu(x, diagonal=1), X3),
    "tril(-1)": (lambda m, x: x.tril(-1), SQ),
    "diagonal": (lambda m, x: x.diagonal(), X),
    "diagonal(1)": (lambda m, x: m.diagonal(x, 1), X),
    "diagonal(0, 1, 2)": (lambda m, x: x.diagonal(0, 1, 2), X3),
    "trace": (lambda m, x: x.trace(), SQ),
    "cat": (lambda m, x: m.cat([x, x * 2], dim=1), X),
    "cat(dim=-1)": (lambda m, x: m.cat((x, x[:, :1]), -1), X),
    "stack": (lambda m, x: m.stack([x, x + 1], 1), X),
    "size(), dim(), nelement()": (lambda m, x: x.sum() * 0 + x.size(1) + x.size(-1)
                                  + x.dim() + x.nelement() + x.numel() + len(x.size()), X),
    # --- elementwise ---------------------------------------------------------------------------
    "masked_fill": (lambda m, x: x.masked_fill(x > 0, -1.0), X),
    "masked_fill row mask": (lambda m, x: m.masked_fill(x, x[0] > 0, 0.0), X),
    "clamp(min, max)": (lambda m, x: x.clamp(-0.5, 0.5), X),
    "clamp(min=)": (lambda m, x: m.clamp(x, min=0.1), X),
    "clamp(max=)": (lambda m, x: x.clamp(max=0.1), X),
    "clamp(min > max)": (lambda m, x: x.clamp(1.0, -1.0), X),
    "clip(min=0)": (lambda m, x: x.clip(min=0), X),
    "pow(2)": (lambda m, x: x.pow(2), X),
    "torch.pow(x, y)": (lambda m, x: m.pow(x, x * 0 + 1.5), POS),
    "where(c, a, b)": (lambda m, x: m.where(x > 0, x, x * 2), X),
    "where(c, a, 0.0)": (lambda m, x: m.where(x > 0, x, 0.0), X),
    "where(cond)": (lambda m, x: m.where(x > 0), X),
    "x.where(c, y)": (lambda m, x: x.where(x > 0, -x), X),
    "nonzero": (lambda m, x: (x > 0).nonzero(), X),
    "eq ne lt le gt ge": (lambda m, x: [x.eq(0), x.ne(x), x.lt(0.1), m.le(x, 0), m.gt(x, x),
                                        x.ge(-0.1)], X),
    "log10": (lambda m, x: x.log10(), POS),
    "log2": (lambda m, x: m.log2(x), POS),
    "log1p": (lambda m, x: x.log1p(), POS),
    "expm1": (lambda m, x: m.expm1(x), X),
    "rsqrt": (lambda m, x: x.rsqrt(), POS),
    "square": (lambda m, x: m.square(x), X),
    "sign": (lambda m, x: x.sign(), X),
    "tan atan sinh cosh": (lambda m, x: [x.tan(), m.atan(x), x.sinh(), m.cosh(x)], X),
    "asin acos": (lambda m, x: [(x / 4).asin(), m.acos(x / 4)], X),
    "floor ceil round trunc frac": (lambda m, x: [(x * 3).floor(), m.ceil(x * 3), (x * 3).round(),
                                                  m.trunc(x * 3), (x * 3).frac()], X),
    "reciprocal neg": (lambda m, x: [x.reciprocal(), m.neg(x), x.neg()], POS),
    "remainder float": (lambda m, x: [x % 0.7, m.remainder(x, -0.7)], X),
    "remainder by a tensor": (lambda m, x: 2.5 % x.detach(), X),
    "fmod float": (lambda m, x: m.fmod(x, 0.7), X),
    "int ops": (lambda m, i: [i % 3, i // 3, m.fmod(i, 3), -7 % i[:, :2].clamp(min=1),
                              i & 6, i | 1, i ^ 3, ~i, i << 2, i >> 1, i / 2, i * 2, i + 1,
                              m.div(i, 2, rounding_mode="trunc"),
                              m.div(i, 2, rounding_mode="floor"), m.floor_divide(i, -2)], INTS),
    "bool ops": (lambda m, i: [(i > 0) & (i < 6), (i > 0) | (i < -5), (i > 0) ^ (i > 2),
                               ~(i > 0)], INTS),
    "add(y, alpha=)": (lambda m, x: m.add(x, x * x, alpha=-0.5), X),
    "sub(y, alpha=)": (lambda m, x: x.sub(1.0, alpha=2), X),
    "mul div": (lambda m, x: [x.mul(2), m.div(x, 3.0), x.div(x + 3)], X),
    # --- products ------------------------------------------------------------------------------
    "mm": (lambda m, x: x.mm(x.t()), X),
    "torch.mm": (lambda m, x: m.mm(x, x.t()), X),
    "bmm": (lambda m, x: m.bmm(x, x.transpose(1, 2)), X3),
    "dot": (lambda m, x: x.dot(x * 2), V),
    "outer": (lambda m, x: m.outer(x, x[:2]), V),
    "matmul": (lambda m, x: m.matmul(x, x.t()), X),
    "einsum ij,kj->ik": (lambda m, x: m.einsum("ij,kj->ik", x, x), X),
    "einsum bij,bjk": (lambda m, x: m.einsum("bij,bkj->bik", x, x), X3),
    "einsum ii": (lambda m, x: m.einsum("ii", x), SQ),
    "einsum ii->i": (lambda m, x: m.einsum("ii->i", x), SQ),
    "einsum ...ij->...ji": (lambda m, x: m.einsum("...ij->...ji", x), X3),
    "einsum i,j": (lambda m, x: m.einsum("i,j", x, x), V),
    "einsum list": (lambda m, x: m.einsum("ij,j->i", [x, x[0]]), X),
    "median()": (lambda m, x: x.median(), X),
    "median(1)": (lambda m, x: x.median(1), X),
    "median(0, keepdim=True)": (lambda m, x: m.median(x, 0, keepdim=True), X),
    "kthvalue(2, 0)": (lambda m, x: x.kthvalue(2, 0), X),
    "var_mean std_mean": (lambda m, x: [*m.var_mean(x, 1), *m.std_mean(x, dim=0,
                                                                       unbiased=False)], X),
    "atan2 lerp logaddexp": (lambda m, x: [m.atan2(x, x.flip(0)), x.lerp(x * 2, 0.3),
                                           m.logaddexp(x, x.flip(1))], X),
    "addmm baddbmm": (lambda m, x: [m.addmm(x[0, :, :3], x[0], x[1].t()[:, :3], beta=0.5,
                                            alpha=2),
                                    m.baddbmm(x[:, :, :3], x, x.transpose(1, 2))], X3),
    "tensordot": (lambda m, x: [m.tensordot(x, x, dims=([1, 2], [1, 2])),
                                m.tensordot(x, x.permute(1, 2, 0), 2)], X3),
    "hstack vstack": (lambda m, x: [m.hstack([x, x]), m.vstack([x, x[0]]), m.hstack([x[0], x[1]])],
                      X),
    "cat promotes int to float": (lambda m, x: m.cat([x, (x > 0) * 1]), X),
    "in place on a copy": (lambda m, x: [x.clone().relu_(), x.clone().clamp_(-0.5, 0.2),
                                         x.clone().masked_fill_(x > 0, 0.5), x.clone().tanh_(),
                                         (x * 1).add_(x, alpha=2), (x * 1).sub_(x.exp(), alpha=3),
                                         x.clone().scatter_(1, make(m, PICK, False), x[:2, :2]),
                                         x.clone().index_fill_(1, make(m, np.array([0, 2]),
                                                                       False), -1.0)], X),
    # --- rearranging and combining ---------------------------------------------------------------
    "movedim": (lambda m, x: [x.movedim(0, -1), m.movedim(x, (0, 1), (2, 0)), x.moveaxis(1, 0)],
                X3),
    "take take_along_dim": (lambda m, x: [x.take(make(m, PICK, False)),
                                          m.take_along_dim(x, x.argsort(1), 1),
                                          x.take_along_dim(make(m, np.array([[0], [2], [1]]),
                                                                False), dim=1)], X),
    "tile": (lambda m, x: [x.tile((2,)), m.tile(x, (2, 1, 1))], X),
    "meshgrid": (lambda m, x: [*m.meshgrid(x, x[:3], indexing="ij"),
                               *m.meshgrid(x, x[:3], indexing="xy")], V),
    "broadcast_tensors": (lambda m, x: list(m.broadcast_tensors(x[:, :1], x[0])), X),
    "atleast": (lambda m, x: [m.atleast_1d(x.sum()), m.atleast_2d(x[0]), m.atleast_3d(x)], X),
    "column_stack": (lambda m, x: m.column_stack([x[0], x[1], x.t()[:, :2]]), X),
    "diff": (lambda m, x: [x.diff(), m.diff(x, n=2, dim=0)], X),
    "kron": (lambda m, x: [m.kron(x, x[:2, :2]), x[0].kron(x[1, :2])], X),
    "cross": (lambda m, x: [m.cross(x[:, :3], x[:, 1:], dim=1), m.linalg.cross(x[:, :3],
                                                                             x[:, 1:])]
              if m is torch else [m.cross(x[:, :3], x[:, 1:], dim=1), m.cross(x[:, :3],
                                                                              x[:, 1:], dim=-1)],
              X),
    "cdist": (lambda m, x: [m.cdist(x, x[:2]), m.cdist(x, x * 2, p=1)], X),
    "count_nonzero argwhere": (lambda m, x: [m.count_nonzero(x > 0), (x > 0).count_nonzero(1),
                                             m.argwhere(x > 0)], X),
    "exp2 deg2rad rad2deg sgn": (lambda m, x: [x.exp2(), m.deg2rad(x), x.rad2deg(), m.sgn(x)], X),
    "fmax fmin": (lambda m, x: [m.fmax(x, x.flip(0)), x.fmin(x * 0.5)], X),
    "nan_to_num": (lambda m, x: [m.nan_to_num(x, posinf=3.0, neginf=-3.0),
                                 x.nan_to_num(nan=1.0, posinf=2.0, neginf=0.0)], ODD),
    "nan_to_num defaults": (lambda m, x: m.nan_to_num(x.detach()), ODD),
    # --- picking and placing by position --------------------------------------------------------
    "index_select": (lambda m, x: x.index_select(1, make(m, np.array([2, 0, 2]), False)), X),
    "masked_select": (lambda m, x: m.masked_select(x, x > 0), X),
    "scatter": (lambda m, x: x.scatter(1, make(m, PICK, False), x[:2, :2] * 3), X),
    "scatter value": (lambda m, x: m.scatter(x, 0, make(m, PICK, False), value=2.0), X),
    "scatter_add": (lambda m, x: x.scatter_add(1, make(m, PICK, False), x[:2, :2]), X),
    "roll": (lambda m, x: x.roll(1, 1), X),
    "roll dims": (lambda m, x: m.roll(x, (1, -2), (0, 1)), X),
    "roll flat": (lambda m, x: x.roll(5), X),
    "repeat_interleave": (lambda m, x: x.repeat_interleave(2, dim=0), X),
    "repeat_interleave flat": (lambda m, x: m.repeat_interleave(x, 2), X),
    "diag of a vector": (lambda m, x: m.diag(x, 1), V),
    "diag of a matrix": (lambda m, x: x.diag(-1), X),
    "ravel mT": (lambda m, x: [x.ravel(), x.mT], X3),
    "unique": (lambda m, i: m.unique(i % 3, return_inverse=True, return_counts=True), INTS),
    "bincount": (lambda m, i: m.bincount(i.flatten().abs()), INTS),
    "histogram": (lambda m, x: list(m.histogram(x.detach(), bins=4)), X),
    "resize_": (lambda m, x: x.detach().clone().resize_(2, 6), X),
    "isnan isinf isfinite": (lambda m, x: [x.isnan(), m.isinf(x), x.isfinite()], ODD),
    "inverse det logdet": (lambda m, x: [x.inverse(), m.det(x), (x @ x.mT).logdet(),
                                         m.inverse(x.unsqueeze(0).expand(2, 3, 3))], WELL),
    # --- indexing ------------------------------------------------------------------------------
    "x[1, :, idx] int with index": (lambda m, x: x[1, :, make(m, PICK, False)], X3),
    "x[idx, 0]": (lambda m, x: x[[2, 0, 2], 0], X),
    "x[0, ..., [1, 3]]": (lambda m, x: x[0, ..., [1, 3]], X3),
    "x[:, 1, [0, 2]]": (lambda m, x: x[:, 1, [0, 2]], X3),
    "x[1, :, None, [0, 2]]": (lambda m, x: x[1, :, None, [0, 2]], X3),
    "x[mask]": (lambda m, x: x[x > 0], X),
    "x[range(2), [1, 3]]": (lambda m, x: x[range(2), [1, 3]], X),
    "x[1, range(2), [1, 3]]": (lambda m, x: x[1, range(2), [1, 3]], X3),
    "x[:, 0, range(3)]": (lambda m, x: x[:, 0, range(3)], X3),
    "x[0, mask]": (lambda m, x: x[0, x[0] > 0], X3),
}


def to_numpy(out):
    if isinstance(out, (tuple, list)):
        return [to_numpy(o) for o in out]
    if isinstance(out, (int, float, bool)):
        return np.asarray(out)
    return out.detach().numpy() if isinstance(out, torch.Tensor) else out.numpy()


def floats(out):
    """The float tensors inside an output (a tensor, a tuple, a named tuple, a list)."""
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in floats(o)]
    return [out] if out.dtype in (torch.float32, torch.float64, np.float32, np.float64) else []


def assert_same(name, got, want):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), name
        for g, w in zip(got, want):
            assert_same(name, g, w)
        return
    assert got.shape == want.shape, f"{name}: shape {got.shape}, PyTorch {want.shape}"
    assert got.dtype == want.dtype, f"{name}: dtype {got.dtype}, PyTorch {want.dtype}"
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", list(CASES))
def test_same_program_same_numbers_as_pytorch(name):
    fn, data = CASES[name]
    results = {}
    for m in (torch, ag):
        grad = data.dtype.kind == "f"
        x = make(m, data, grad)
        out = fn(m, x)
        outs = floats(out)
        grads = None
        if grad and any(o.requires_grad for o in outs):
            loss = sum((o * make(m, np.linspace(-1, 1, o.numel(), dtype=np.float32)
                                 .reshape(tuple(o.shape)), False)).sum() for o in outs
                       if o.requires_grad)
            loss.backward()
            grads = to_numpy(x.grad)
        if isinstance(out, tuple) and hasattr(out, "_fields"):
            assert tuple(out._fields) == ("values", "indices"), name
        results[m] = (to_numpy(out), grads)
    (got, got_grad), (want, want_grad) = results[ag], results[torch]
    assert_same(name, got, want)
    assert (got_grad is None) == (want_grad is None), f"{name}: gradient presence differs"
    if want_grad is not None:
        np.testing.assert_allclose(got_grad, want_grad, rtol=2e-5, atol=1e-5,
                                   err_msg=f"{name}: gradient")
