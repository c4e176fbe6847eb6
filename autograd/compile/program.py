"""A traced call made into generated Python: `build` turns a `Tracer`'s events into one
function (a training step) or a forward/backward pair (a model whose output is differentiated
outside), compiles the source and keeps it readable as `code`.
"""

import numpy as np

from .. import mode
from ..tensor import Tensor
from .emitter import Emitter, _scalar_like


class Unsupported(Exception):
    """The trace holds something a replay cannot reproduce; the message says what."""


def _accumulate(leaf, g, owned, copy):
    """g added into leaf.grad as `backward` does: a fresh Tensor each time, never sharing an
    array with another leaf's grad, a read-only view or a captured constant."""
    g = np.asarray(g)
    if leaf._grad is None:
        memory = id(g if g.base is None else g.base)
        if copy or not g.flags.writeable or memory in owned:
            g = g.copy()
            memory = id(g)
        owned.add(memory)
        leaf._grad = Tensor._make(g)
    else:
        leaf._grad = Tensor._make(leaf._grad._data + g)


def _rule(op, arrays, flags, out, g):
    """Run an op's own reverse rule on arrays (for rules that read arrays outside ops)."""
    op.inputs = tuple(Tensor._make(np.asarray(a), f) for a, f in zip(arrays, flags))
    if op.keeps_forward_state:  # e.g. max-pool's argmax: recomputed from this call's input
        op.forward(*(np.asarray(a) for a in arrays))
    try:
        with mode.no_grad():
            cotangents = op.vjp(Tensor._make(np.asarray(out)), Tensor._make(np.asarray(g)))
    finally:
        op.inputs = None
    return tuple(None if c is None else c._data for c in cotangents)


class Program:
    """The generated code and the functions compiled from it."""

    def __init__(self, code, namespace, functions, outputs, params, leaves, saved, ops):
        self.code, self.namespace = code, namespace
        self.forward = functions.get("forward")
        self.backward = functions.get("backward")
        self.step = functions.get("step")
        self.outputs = outputs    # how to rebuild fn's result from the returned arrays
        self.params = params      # [(Tensor, shape, dtype)]: guarded by identity and shape
        self.leaves = leaves      # compiled-op input index -> backward output position
        self.saved = saved
        self.ops = ops            # [(op, site)] in program order: compared between traces


def _flatten(result, tensors):
    """fn's result with each Tensor replaced by its index in `tensors`."""
    if isinstance(result, Tensor):
        tensors.append(result)
        return ("T", len(tensors) - 1)
    if isinstance(result, (tuple, list)):
        return (type(result), [_flatten(r, tensors) for r in result])
    if result is None or isinstance(result, (int, float, str, bool)):
        return ("V", result)
    raise Unsupported(f"a result of type {type(result).__name__} (return Tensors, tuples, "
                      "lists or numbers)")


def rebuild(spec, arrays, make):
    kind, value = spec
    if kind == "T":
        return make(arrays[value])
    if kind == "V":
        return value
    return kind(rebuild(s, arrays, make) for s in value)


def build(tracer, args, result, param_names, differentiable, arg_names=()):
    """Generate the program of one trace. `args`: fn's positional arguments (`arg_names`: the
    names fn gives them); `result`: what fn returned; `differentiable`: build a
    forward/backward pair around fn's one output."""
    inputs, tensor_args, taken = [], {}, set(param_names.values())
    names = {}
    for i, a in enumerate(args):
        if not isinstance(a, (Tensor, np.ndarray)):
            continue
        name = arg_names[i] if i < len(arg_names) else ""
        if not _readable(name) or name in taken:
            name = f"x{i}"
        taken.add(name)
        names[i] = name
        inputs.append((name, a._data if isinstance(a, Tensor) else a))
        if isinstance(a, Tensor):
            tensor_args[id(a)] = i
    em = Emitter(inputs, param_names)
    for i, a in enumerate(args):
        if i in names:
            if isinstance(a, Tensor):
                em.names[id(a)] = names[i]
            em.arrays[names[i]] = a._data if isinstance(a, Tensor) else a
    em.namespace.update(_accumulate=_accumulate, _rule=_rule)
    outs = []
    spec = _flatten(result, outs)
    events = tracer.events
    if differentiable:
        em.names[id(tracer.seed)] = "gout"
        em.arrays["gout"] = tracer.seed._data
    split = None  # index of the first backward line (differentiable form)
    traced = set()  # ids of op outputs seen: a rule of any other op ran outside the trace
    rule_label, rule_end, in_backward, skip_to, calls = None, -1, False, -1, 0
    accums = []
    for k, event in enumerate(events):
        kind = event[0]
        if k < skip_to:
            continue
        if kind == "op":
            _, op, ins, out, site = event
            if k >= rule_end:
                rule_label = None
            label = rule_label if rule_label else ("backward (sum of paths)" if in_backward
                                                   else None)
            em.op_line(op, ins, out, "g" if in_backward else "v", label)
            em.lines[-1].site = site
            traced.add(id(out))
        elif kind == "backward":
            in_backward = True
            if split is None and differentiable:
                split = len(em.lines)
            em.effect_line("_owned = set()", [], "backward(): each leaf's grad gets its own "
                                                 "array") if not differentiable else None
        elif kind == "rule":
            rule = event[1]
            if id(rule.out) not in traced:
                raise Unsupported(f"backward() reaches {rule.op.name}, an op made outside the "
                                  "compiled function")
            label = em.labels.get(id(rule.op)) or em.label(rule.op)
            rule_label, rule_end = label, rule.end
            for t in (rule.out, rule.g, *rule.inputs):
                em.ref(t)
            if _pure(em, events, rule):
                continue  # its ops follow as "op" events, labelled with rule_label
            em.rule_line(rule, label, "g")
            skip_to = rule.end
            rule_label = None
        elif kind == "accum":
            _, leaf, g = event
            rule_label = None
            name = em.ref(g)
            copy = name in em.constants or name in em.arrays and name in dict(inputs) or \
                name in em.params
            accums.append((leaf, name))
            if not differentiable:
                target = (f"_args[{tensor_args[id(leaf)]}]" if id(leaf) in tensor_args
                          else f"_P_{em.ref(leaf)}")
                words = _leaf_words(em, leaf)
                em.effect_line(f"_accumulate({target}, {name}, _owned, {copy})", [name],
                               f"{words}.grad += d(loss)/d({words})")
        elif kind == "call":
            _, obj, method, (a, kw) = event
            rule_label, in_backward = None, False
            key = f"_O{calls}"
            calls += 1
            em.namespace[key] = obj
            extra = ""
            if a or kw:
                em.namespace[f"{key}_args"], em.namespace[f"{key}_kw"] = a, kw
                extra = f"*{key}_args, **{key}_kw"
            shown = ", ".join([repr(x) for x in a] + [f"{n}={v!r}" for n, v in kw.items()])
            em.effect_line(f"{key}.{method}({extra})", [],
                           f"{type(obj).__name__}.{method}({shown}): the real method")
    for name in em.params:
        em.namespace[f"_P_{name}"] = em.params[name]
    out_names = [em.ref(t) for t in outs]
    params = [(t, t._data.shape, t._data.dtype) for t in em.params.values()]
    ops = [(line.op, line.site) for line in em.lines if line.op is not None]
    functions = {}
    if not differentiable:
        lines = em.live_lines(out_names)
        arg_names = [n for n, _ in inputs] + ["_args"]
        used = _used_params(em, lines)
        prologue = [f"    {n} = _P_{n}._data" for n in used]
        escaping = out_names + [name for _, name in accums]
        text, _ = em.source("step", arg_names, prologue, lines, escaping, out_names)
        code = _header(em) + text
        exec(compile(code, "<ag.compile step>", "exec"), em.namespace)
        functions["step"] = em.namespace["step"]
        program = Program(code, em.namespace, functions, spec, params, None, None, ops)
        program.constants = em.constants
        program.leaf_tensors = [leaf for leaf, _ in accums if id(leaf) not in tensor_args]
        return program
    # forward/backward pair around one output
    split = len(em.lines) if split is None else split
    grad_names = [name for _, name in accums]
    back_lines = [line for line in em.lines[split:]]
    fwd_lines = em.lines[:split]
    em.lines = back_lines
    back_live = em.live_lines(grad_names)
    defined_fwd = {o for line in fwd_lines for o in line.outs} | {n for n, _ in inputs}
    saved = sorted({a for line in back_live for a in line.ins if a in defined_fwd} |
                   {g for g in grad_names if g in defined_fwd}, key=_order)
    em.lines = fwd_lines
    fwd_live = em.live_lines(out_names + saved)
    arg_names = [n for n, _ in inputs]
    prologue = [f"    {n} = _P_{n}._data" for n in _used_params(em, fwd_live)]
    ftext, _ = em.source("forward", arg_names, prologue, fwd_live, out_names + saved,
                         out_names + saved, pool="_f")
    prologue = [f"    {n} = _P_{n}._data" for n in _used_params(em, back_live)]
    btext, _ = em.source("backward", saved + ["gout"], prologue, back_live, grad_names,
                         grad_names, pool="_b")
    code = _header(em) + ftext + "\n\n\n" + btext
    exec(compile(code, "<ag.compile>", "exec"), em.namespace)
    functions["forward"], functions["backward"] = em.namespace["forward"], \
        em.namespace["backward"]
    array_slots = {}
    for a in args:
        if isinstance(a, (Tensor, np.ndarray)):
            array_slots[id(a)] = len(array_slots)
    param_slots = {id(t): len(array_slots) + i for i, t in enumerate(em.params.values())}
    slots = {}
    for position, (leaf, _) in enumerate(accums):
        slots[array_slots.get(id(leaf), param_slots.get(id(leaf)))] = position
    program = Program(code, em.namespace, functions, spec, params, None, saved, ops)
    program.slots, program.constants = slots, em.constants
    program.leaf_tensors = []
    return program


_RESERVED = {"np", "gout", "step", "forward", "backward"}


def _readable(name):
    """Whether an argument's own name can name it in the generated code (it must not clash with
    the generated names v1, g2, c3, x4, _b5, ...)."""
    import keyword
    import re

    return bool(name) and name.isidentifier() and not keyword.iskeyword(name) and \
        not name.startswith("_") and name not in _RESERVED and \
        re.fullmatch(r"[vgcxp]\d+", name) is None


def _order(name):
    digits = "".join(ch for ch in name if ch.isdigit())
    return (name[0], int(digits) if digits else 0, name)


def _leaf_words(em, leaf):
    return em.names.get(id(leaf), "leaf")


def _used_params(em, lines):
    used = []
    for line in lines:
        for a in line.ins:
            if a in em.params and a not in used:
                used.append(a)
    return used


def _pure(em, events, rule):
    """Whether every input of the rule's ops is a traced value or a cached scalar (so the
    rule's ops can be emitted line by line); else the rule read arrays outside ops."""
    made = set()
    for event in events[rule.begin + 1:rule.end]:
        if event[0] != "op" or _reads_data(event[1]):
            return False
        for t in event[2]:
            if id(t) in made or id(t) in em.names or id(t._data) in em.input_arrays or \
                    (t._requires_grad and t.grad_fn is None) or _scalar_like(t):
                continue
            return False
        made.add(id(event[3]))
    return True


def _reads_data(op):
    """Whether an op made inside a rule carries an array computed from the data (a mask or an
    index, e.g. Where's `cond`, ScatterAdd's `index`): then the rule is replayed whole."""
    return any(isinstance(getattr(op, key, None), np.ndarray) for key in op.params())


def _header(em):
    lines = ["# Generated by ag.compile: the traced program, one NumPy call per line.",
             "# Parameters are read by reference (their current arrays); constants were",
             "# captured by value when the function was traced:"]
    for name, value in em.constants.items():
        a = np.asarray(value)
        shown = (repr(a.item()) if a.ndim == 0 else
                 f"array of shape {a.shape}" + (f" = {a.tolist()}" if a.size <= 6 else ""))
        lines.append(f"#   {name}: {a.dtype} {shown}")
    for name, t in em.params.items():
        lines.append(f"#   {name}: parameter {tuple(t.shape)} {t.dtype}")
    return "\n".join(lines) + "\n\n"
