"""A pure-Python CPU-bound task (no C extension, so it holds the GIL throughout): the GIL's effect alone."""


def handler(event, context):
    """Runs `steps` iterations of an integer hash loop; returns the steps and the final value."""
    steps = event.get("steps") if isinstance(event, dict) else None
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    x = 0
    for i in range(steps):
        x = (x * 31 + i) % 1000003
    return {"steps": steps, "value": x}
