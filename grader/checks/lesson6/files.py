"""Where lesson 6's learner functions write, and how the grader talks about what they wrote.

The learner's functions get paths as plain strings, in a folder of the learner
process's own writable home (its temporary folder; inside the sandbox the same
path).  The scoring side only lists names there; every file is opened in the
clean room (``grader/learner/cleanroom.py``), never here.
"""

from __future__ import annotations

from pathlib import Path

from grader.grading.written import listing

MAX_LISTED = 8


def where_it_went(path: Path, home: Path) -> str:
    """What was written instead of ``path``, in words, with advice for the likely mistake."""
    beside = [n for n in listing(path.parent) if n != path.name]
    elsewhere = [n for n in listing(home) if n != path.parent.name + "/"]
    parts = []
    if beside:
        parts.append(f"In that folder the code wrote {', '.join(beside[:MAX_LISTED])}.")
    if elsewhere:
        parts.append(f"In the working folder it wrote {', '.join(elsewhere[:MAX_LISTED])}.")
    names = beside + elsewhere
    if any(n.endswith(".weights.h5") for n in names):
        parts.append(
            "A .weights.h5 file holds only the weights, not the architecture or the optimizer: "
            "save the whole model with model.save(path)."
        )
    elif any(n.endswith((".h5", ".hdf5")) for n in names):
        parts.append(
            "An .h5 file is the legacy format; save with model.save(path), where path "
            "ends in .keras."
        )
    if elsewhere and not beside:
        parts.append("Save to the path the grader gives, not to a name of your own.")
    return " ".join(parts) or "Nothing was written there."
