"""Walking the graph: one iterative topological sort that the reverse pass, the graph
exporter and the notebooks all share. No recursion, so a million chained ops are fine."""


def toposort(roots):
    """The non-leaf tensors that `roots` depend on, each after all of its inputs.

    Depth-first with an explicit stack of (tensor, iterator over its op's inputs); a tensor is
    emitted once every input has been. Leaves (no grad_fn) and freed ops end the walk.
    """
    order, seen = [], set()  # tensors hash by identity
    for root in roots:
        if root.grad_fn is None or root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root.grad_fn.inputs or ()))]
        while stack:
            tensor, pending = stack[-1]
            for child in pending:
                if child.grad_fn is not None and child not in seen:
                    seen.add(child)
                    stack.append((child, iter(child.grad_fn.inputs or ())))
                    break
            else:
                stack.pop()
                order.append(tensor)
    return order
