"""`DistributedSampler` exists so that code naming it fails clearly: there is no distributed
training here (one process, one CPU device)."""


class DistributedSampler:
    """Not supported: raises at construction, naming the reason."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError("DistributedSampler: distributed training is not supported (this "
                           "library runs in one process); use RandomSampler or shuffle=True")
