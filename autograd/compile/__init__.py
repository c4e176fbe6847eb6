"""`ag.compile`: trace a function once per input signature, replay it as generated NumPy code.

tracer.py logs op calls (and backward, step, zero_grad) while the function runs eagerly;
emitter.py and templates.py turn the log into straight-line Python; program.py compiles it;
guards.py says when a program still applies; api.py ties them together.
"""

from .api import CompiledOp, CompileWarning, compile

__all__ = ["CompileWarning", "CompiledOp", "compile"]
