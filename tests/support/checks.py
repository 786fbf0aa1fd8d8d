"""One line per check and the closing "N passed, M failed" line that ctest's log and CI read."""
_results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    """Records and prints one check; `detail` is shown when it failed."""
    _results["passed" if ok else "failed"] += 1
    print(("ok    " if ok else "FAIL  ") + name + ("" if ok else ": " + detail), flush=True)


def summary():
    """Prints the closing line; returns the exit status (1 when any check failed)."""
    print(f"{_results['passed']} passed, {_results['failed']} failed")
    return 1 if _results["failed"] else 0
