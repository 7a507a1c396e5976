#!/usr/bin/env python3
"""Execute notebooks headless with nbclient and the project's tslab kernel.

Usage: run_notebooks.py OUT_DIR NOTEBOOK [NOTEBOOK ...]
Writes OUT_DIR/<name>.ipynb (executed, with outputs) and OUT_DIR/<name>.html.
Exit 1 on the first failing notebook, naming the notebook and the cell.
"""
import os
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover
    sys.stderr.write(
        "robustlens: Jupyter's nbclient is missing (%s). Install it: sudo apt-get install "
        "jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel\n" % e)
    sys.exit(3)

try:
    from nbconvert import HTMLExporter
except ImportError:
    HTMLExporter = None


CURRENT = {"cell": "?"}


def executing_cell(_nb):
    """Index of the cell that was running when execution stopped."""
    return CURRENT["cell"]


def first_error_line(nb, i):
    """tslab reports a cell's exception on stderr: its first line is the message."""
    if not isinstance(i, int):
        return ""
    for out in nb.cells[i].get("outputs", []):
        if out.get("output_type") == "error":
            return "%s: %s" % (out.get("ename", ""), out.get("evalue", ""))
        if out.get("output_type") == "stream" and out.get("name") == "stderr" and out.get("text", "").strip():
            return out["text"].strip().splitlines()[0][:300]
    return ""


def on_cell_start(cell=None, cell_index=None, **_):
    CURRENT["cell"] = cell_index


def cell_error(nb):
    """Find the first cell whose outputs hold an error (tslab reports rejected promises this way too)."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, out
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = out.get("text", "")
                if "UnhandledPromiseRejection" in text or "Unhandled promise rejection" in text:
                    return i, {"ename": "UnhandledPromiseRejection", "evalue": text.strip()[:500]}
    return None


def main():
    out_dir = sys.argv[1]
    paths = sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    timeout = int(os.environ.get("ROBUSTLENS_CELL_TIMEOUT", "1800"))
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        nb = nbformat.read(path, as_version=4)
        t0 = time.time()
        print("robustlens: running %s (scale %s) ..." % (path, os.environ.get("ROBUSTLENS_SCALE", "demo")), flush=True)
        client = NotebookClient(nb, timeout=timeout, kernel_name="tslab", allow_errors=False,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        client.on_cell_start = on_cell_start
        CURRENT["cell"] = "?"
        failure = None
        try:
            client.execute()
        except CellExecutionError as e:
            failure = (executing_cell(nb), "Error", first_error_line(nb, executing_cell(nb)) or str(e).strip()[:300])
        except (CellTimeoutError, DeadKernelError) as e:
            failure = (executing_cell(nb), type(e).__name__, str(e).splitlines()[0] if str(e) else "")
        out_nb = os.path.join(out_dir, name + ".ipynb")
        nbformat.write(nb, out_nb)
        if HTMLExporter is not None:
            body, _ = HTMLExporter().from_notebook_node(nb)
            with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
                f.write(body)
        if failure is None:
            err = cell_error(nb)
            if err is not None:
                i, out = err
                failure = (i, out.get("ename", "Error"), str(out.get("evalue", "")).splitlines()[0][:300] if out.get("evalue") else "")
        if failure is not None:
            cell, ename, evalue = failure
            where = cell + 1 if isinstance(cell, int) else cell
            src = ""
            if isinstance(cell, int):
                src = nb.cells[cell].source.strip().splitlines()[0][:120] if nb.cells[cell].source.strip() else ""
            sys.stderr.write("robustlens: notebook %s failed in cell %s (%s): %s\n  executed copy: %s\n"
                             % (path, where, src, evalue if ename == "Error" else "%s: %s" % (ename, evalue), out_nb))
            sys.exit(1)
        print("robustlens: %s ok in %.1f s -> %s" % (path, time.time() - t0, out_nb), flush=True)


if __name__ == "__main__":
    main()
