"""From a trace to straight-line Python: one NumPy call per line, into reused buffers.

`Emitter` names every value of a trace (inputs `x0`, parameters by their module names,
constants `c0`, forward values `v1`, backward values `g1`), turns each logged op into its
template's statements (or `_opN.forward(...)`), each reverse rule into the lines of the ops it
ran (or, when the rule read arrays outside ops, one call of the rule itself), drops dead lines,
and gives each fresh array a buffer from a pool by shape and dtype once every value that may
alias the previous occupant is dead. Values that leave the program (returned, stored into a
`.grad`, saved for the backward) always get fresh arrays.
"""

import copy

import numpy as np

from .templates import TEMPLATES, WRITES_OUT, describe


class Line:
    __slots__ = ("outs", "ins", "statements", "comment", "op", "arrays", "effect", "out_name",
                 "buffered", "site")

    def __init__(self, outs, ins, statements, comment, op=None, arrays=(), effect=False):
        self.outs, self.ins, self.statements, self.comment = outs, ins, statements, comment
        self.op, self.arrays, self.effect = op, arrays, effect
        self.out_name = None
        self.buffered = False
        self.site = None


def _scalar_like(t):
    """A cached constant of the rules (1.0 in 1 - out², 0.5 ...): 0-d and read-only."""
    a = t._data
    return a.ndim == 0 and not a.flags.writeable


class Emitter:
    def __init__(self, inputs, param_names):
        self.names = {}        # id(Tensor) -> value name
        self.arrays = {}       # value name -> its array at trace time (for shapes and aliasing)
        self.input_arrays = {id(a): name for name, a in inputs}
        self.param_names = param_names  # id(param Tensor) -> readable name
        self.params = {}       # name -> Tensor (captured by reference)
        self.constants = {}    # name -> array (captured by value)
        self.namespace = {"np": np}
        self.lines = []
        self.labels = {}       # id(forward op) -> "Linear 0"
        self.counts = {}
        self.count = 0
        self.producers = {}    # value name -> the line that computes it

    # --- naming ---------------------------------------------------------------------------
    def new(self, t, prefix):
        self.count += 1
        name = f"{prefix}{self.count}"
        self.names[id(t)] = name
        self.arrays[name] = t._data
        return name

    def ref(self, t):
        name = self.names.get(id(t))
        if name is not None:
            return name
        if id(t._data) in self.input_arrays:  # a Tensor made around an input array
            return self.input_arrays[id(t._data)]
        if t._requires_grad and t.grad_fn is None:
            name = self.param_names.get(id(t)) or f"p{len(self.params)}"
            while name in self.params and self.params[name] is not t:
                name += "_"
            self.params[name] = t
            self.names[id(t)] = name
            self.arrays[name] = t._data
            return name
        name = f"c{len(self.constants)}"
        value = t._data if _scalar_like(t) else np.array(t._data, copy=True)
        self.constants[name] = value
        self.namespace[name] = value
        self.names[id(t)] = name
        self.arrays[name] = value
        return name

    def label(self, op):
        label = self.labels.get(id(op))
        if label is None:
            n = self.counts.get(op.name, 0)
            self.counts[op.name] = n + 1
            label = self.labels[id(op)] = f"{op.name} {n}"
        return label

    # --- lines ----------------------------------------------------------------------------
    def op_line(self, op, inputs, out, prefix, rule_label=None):
        args = [self.ref(t) for t in inputs]
        args = [self._unbroadcast(op, a, args, out) for a in args]
        if op.name == "Reshape" and np.shape(self.arrays[args[0]]) == out._data.shape:
            self.names[id(out)] = args[0]  # a reshape to the same shape: the same value
            return args[0]
        name = self.new(out, prefix)
        template = TEMPLATES.get(op.name)
        statements = template(op, args, "{buffer}") if template else None
        if op.name == "Linear" and np.result_type(out._data.dtype, inputs[2]._data) \
                != out._data.dtype:
            statements = None
        if statements is None:
            key = f"_op{self.count}"
            held = copy.copy(op)
            held.inputs = None
            self.namespace[key] = held
            statements = [f"{{name}} = {key}.forward({', '.join(args)})"]
        shapes = [np.shape(self.arrays[a]) for a in args]
        words = describe(op, shapes, out._data.shape)
        comment = (f"vjp {rule_label}: {op.name} {words}" if rule_label
                   else f"{self.label(op)}: {words}")
        line = Line([name], args, statements, comment, op, [out._data])
        line.out_name = name
        line.buffered = (template is not None and op.name in WRITES_OUT
                         and type(out._data) is np.ndarray and out._data.ndim > 0
                         and out._data.flags.c_contiguous)
        self.lines.append(line)
        self.producers[name] = line
        return name

    def _unbroadcast(self, op, arg, args, out):
        """Skip a BroadcastTo that feeds an elementwise op: NumPy broadcasts in the consumer."""
        line = self.producers.get(arg)
        if not op.elementwise or line is None or line.op is None or \
                line.op.name != "BroadcastTo":
            return arg
        source = line.ins[0]
        shapes = [np.shape(self.arrays[source if a == arg else a]) for a in args]
        try:
            if np.broadcast_shapes(*shapes) == out._data.shape:
                return source
        except ValueError:
            pass
        return arg

    def rule_line(self, rule, label, prefix):
        """A rule that read arrays outside ops: replay it by calling the rule itself."""
        args = [self.ref(t) for t in rule.inputs]
        out, g = self.ref(rule.out), self.ref(rule.g)
        key = f"_op{self.count + 1}"
        held = copy.copy(rule.op)
        held.inputs = None
        self.namespace[key] = held
        outs = []
        for c in rule.cotangents:
            if c is None:
                outs.append("_")
            else:
                outs.append(self.new(c, prefix))
        statements = [f"{', '.join(outs)}, = _rule({key}, ({', '.join(args)},), "
                      f"{rule.flags!r}, {out}, {g})"]
        comment = f"vjp {label}: {rule.op.name}'s own rule (it reads arrays outside ops)"
        arrays = [c._data for c in rule.cotangents if c is not None]
        line = Line([o for o in outs if o != "_"], args + [out, g], statements, comment,
                    None, arrays)
        self.lines.append(line)

    def effect_line(self, statement, ins, comment):
        self.lines.append(Line([], ins, [statement], comment, effect=True))

    # --- finishing ------------------------------------------------------------------------
    def live_lines(self, wanted):
        """The lines needed for `wanted` names and for the side effects, in order."""
        needed = set(wanted)
        keep = []
        for line in reversed(self.lines):
            if line.effect or any(o in needed for o in line.outs):
                keep.append(line)
                needed.update(line.ins)
        return keep[::-1]

    def source(self, fname, params, prologue, lines, escaping, returns, pool="_b"):
        """The text of one function, each fresh array written into a pooled buffer once every
        value that may alias the buffer's previous occupant is dead."""
        roots = {}
        for line in lines:  # a value may alias (be a view of) its inputs
            for name, array in zip(line.outs, line.arrays):
                r = {name}
                for a in line.ins:
                    other = self.arrays.get(a)
                    if isinstance(other, np.ndarray) and isinstance(array, np.ndarray) and \
                            np.may_share_memory(array, other):
                        r |= roots.get(a, {a})
                roots[name] = r
        last = {}
        for i, line in enumerate(lines):
            for a in line.ins:
                for r in roots.get(a, {a}):
                    last[r] = i
        kept = set()  # roots that leave the function: never pooled
        for name in escaping:
            kept |= roots.get(name, {name})
        free, buffers, holder, body = {}, {}, {}, list(prologue)
        for i, line in enumerate(lines):
            name, buffer = line.out_name, None
            if line.buffered and name not in kept and name in last:
                array = self.arrays[name]
                key = (array.shape, array.dtype.str)
                buffer = free[key].pop() if free.get(key) else f"{pool}{len(buffers)}"
                if buffer not in buffers:
                    buffers[buffer] = np.empty(array.shape, array.dtype)
                holder[name] = buffer
            for j, statement in enumerate(line.statements):
                text = statement.replace(", out={buffer}", f", out={buffer}" if buffer else "")
                text = text.replace("{name}", name or "")
                body.append(f"    {text}" + (f"  # {line.comment}" if j == 0 else ""))
            for r in [r for r in holder if last.get(r, -1) <= i]:
                b = holder.pop(r)
                free.setdefault((buffers[b].shape, buffers[b].dtype.str), []).append(b)
        self.namespace.update(buffers)
        ret = ", ".join(returns) + ("," if len(returns) == 1 else "")
        text = "\n".join([f"def {fname}({', '.join(params)}):"] + body + [f"    return ({ret})"])
        return text, buffers
