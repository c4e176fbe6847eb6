"""Grouping a model's ops by module call: from the calls nn.Module records (see calls.py), or,
for a model that does not record them, from `model.named_parameters()` alone.

A recorded call owns the ops between its arguments and its output (stopping at other calls'
outputs, so a call nested inside it keeps its own ops): activations, pooling, Flatten and the
loss get their box like Linear does. Without records:

A tensor computed from one module's parameters alone (W, W.T, b broadcast, W * 0.5) is *pure*;
an op that reads a pure tensor belongs to that module, and so does an op wedged between two of
the module's ops (the reshape inside a convolution). So `x @ W.T + b` makes one group, and the
activation after it, which reads no parameter, does not. Each connected run of one module's ops
is one call of that module (a module used twice gives two groups).
"""

from dataclasses import dataclass, field

from . import calls


@dataclass(eq=False)  # groups hold tensors, whose == is elementwise
class Group:
    """One call of a module: its ops (by their outputs, in topological order) and parameters."""

    path: str | None           # "0", "encoder.fc1"; "" for the model; None: not in the model
    kind: str                  # "Linear", or "" when the model does not say
    members: list = field(default_factory=list)   # tensors made by the group's ops
    params: list = field(default_factory=list)    # the module's parameters the ops read
    args: list = field(default_factory=list)      # the call's tensor arguments (if recorded)
    module: object = None

    @property
    def label(self):
        if self.path is None:
            return self.kind
        where = self.path or "model"
        return f"{where}: {self.kind}" if self.kind else where


def parameter_names(model):
    """{id(parameter): qualified name} from the model."""
    return {id(p): name for name, p in model.named_parameters()}


def module_kinds(model):
    """{qualified module name: class name}, from `named_modules()` when the model has it, else
    by walking `named_children()`; empty when the model offers neither."""
    try:
        return {name: type(m).__name__ for name, m in model.named_modules()}
    except (AttributeError, TypeError):
        pass
    kinds, stack = {"": type(model).__name__}, [("", model)]
    while stack:
        prefix, module = stack.pop()
        try:
            children = list(module.named_children())
        except (AttributeError, TypeError):
            continue
        for name, child in children:
            path = f"{prefix}.{name}" if prefix else str(name)
            kinds[path] = type(child).__name__
            stack.append((path, child))
    return kinds


def find_groups(graph, model):
    """The module groups of `graph` (a `walk.Graph`), in the order their first op runs."""
    found = call_groups(graph, model)
    if found[0]:
        return found
    names = parameter_names(model)
    owner = {pid: name.rpartition(".")[0] for pid, name in names.items()}
    kinds = module_kinds(model)
    pure, home = {}, {}
    for t in graph.tensors:
        if t.grad_fn is None:
            if id(t) in owner:
                pure[id(t)] = owner[id(t)]
            continue
        inputs = t.grad_fn.inputs
        modules = {pure[id(x)] for x in inputs if id(x) in pure}
        if len(modules) != 1:
            continue
        (module,) = modules
        home[id(t)] = module
        # Pure only if every other input is a scalar constant (W * 0.5): data makes it a call.
        if all(id(x) in pure or (x.grad_fn is None and not x.requires_grad and x._data.size == 1)
               for x in inputs):
            pure[id(t)] = module

    # Connected runs of one module's ops: union-find over the tensors they pass each other.
    parent = {key: key for key in home}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for t in graph.tensors:
        if id(t) in home:
            for x in t.grad_fn.inputs:
                if home.get(id(x)) == home[id(t)]:
                    parent[find(id(x))] = find(id(t))
    _absorb(graph, home, parent, find, owner)

    groups, by_root = [], {}
    for t in graph.tensors:
        if id(t) not in home:
            continue
        root = find(id(t))
        if root not in by_root:
            module = home[id(t)]
            by_root[root] = Group(module, kinds.get(module, ""))
            groups.append(by_root[root])
        group = by_root[root]
        group.members.append(t)
        for x in t.grad_fn.inputs:
            if id(x) in owner and x.grad_fn is None and all(x is not p for p in group.params):
                group.params.append(x)
    return groups, names


def _absorb(graph, home, parent, find, owner):
    """Add to a module call an op wedged inside it (the reshape between a convolution and its
    bias): every input from one run of the module's ops, every use by one run. The two runs
    join, unless both read the same parameter: then they are two calls of the module."""
    uses = graph.consumers()
    roots = {id(r) for r in graph.roots}

    def reads(run):
        return {id(x) for t in graph.tensors if id(t) in home and find(id(t)) == run
                for x in t.grad_fn.inputs if id(x) in owner}

    for t in graph.tensors:
        if t.grad_fn is None or id(t) in home or id(t) in roots:
            continue
        tracked = [x for x in t.grad_fn.inputs if x.requires_grad]
        users = [c for c, _ in uses.get(id(t), ())]
        if not tracked or not users or not all(id(x) in home for x in tracked + users):
            continue
        before = {find(id(x)) for x in tracked}
        after = {find(id(c)) for c in users}
        if len(before) != 1 or len(after) != 1:
            continue
        (run_in,), (run_out,) = before, after
        if home[run_in] != home[run_out]:
            continue
        if run_in != run_out and reads(run_in) & reads(run_out):
            continue
        home[id(t)] = home[run_in]
        parent[id(t)] = run_in
        parent[find(run_out)] = run_in


def call_groups(graph, model):
    """One group per recorded module call in `graph` (none if nothing was recorded)."""
    names = parameter_names(model)
    try:
        paths = {id(m): name for name, m in model.named_modules()}
    except (AttributeError, TypeError):
        paths = {}
    made = {id(t): calls.innermost(t) for t in graph.tensors if t.grad_fn is not None}
    made = {key: call for key, call in made.items() if call is not None}
    claimed, groups = set(), []
    for t in graph.tensors:
        if id(t) not in made:
            continue
        module, args = made[id(t)]
        stop = {id(a) for a in args}
        members, stack = set(), [t]
        while stack:
            u = stack.pop()
            if (u.grad_fn is None or id(u) in stop or id(u) in members or id(u) in claimed
                    or (u is not t and id(u) in made)):
                continue
            members.add(id(u))
            stack.extend(u.grad_fn.inputs)
        claimed |= members
        group = Group(paths.get(id(module)), type(module).__name__, args=args, module=module)
        group.members = [u for u in graph.tensors if id(u) in members]
        for u in group.members:
            for x in u.grad_fn.inputs:
                if id(x) in names and x.grad_fn is None and all(x is not p for p in group.params):
                    group.params.append(x)
        groups.append(group)
    groups.sort(key=lambda g: graph.number[id(g.members[0])])
    return groups, names
