"""PyTorch CPU reference timings for the audio front-end (bench/audio.bench.ts calls this).

Usage: python3 bench/audio_torch.py <dir> [threads]   where <dir> holds signal.f32 (30 s at 22.05 kHz),
{logfilt,mel}_fb.f32 (filterbanks, row-major [bins, bands]) and config.json, all written by the
TS bench. Prints one JSON object: per kind, forward and forward+backward milliseconds and the
output (for a sanity check against the JS reference).
"""
import json
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as e:  # the TS bench prints a skip line
    print(json.dumps({"skip": f"torch not available: {e}"}))
    sys.exit(0)

torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)  # the reference: 2 threads


def timeit(f, reps):
    f()
    t0 = time.perf_counter()
    for _ in range(reps):
        f()
    return (time.perf_counter() - t0) / reps * 1000


def main(d):
    cfg = json.load(open(f"{d}/config.json"))
    x = torch.from_numpy(np.fromfile(f"{d}/signal.f32", dtype=np.float32))[None]
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    for kind, c in cfg.items():
        fb = torch.from_numpy(np.fromfile(f"{d}/{kind}_fb.f32", dtype=np.float32).reshape(c["bins"], c["bands"]))
        win = torch.hann_window(c["nFft"], periodic=False)

        def spec(w):
            X = torch.stft(w, c["nFft"], hop_length=c["hop"], window=win, center=c["center"], pad_mode="constant", return_complex=True)
            mag = X.abs().transpose(1, 2)  # [batch, frames, bins]
            S = mag @ fb
            return torch.log1p(S) / np.log(10) if kind == "logfilt" else torch.log(torch.clamp(S, min=1e-7))

        with torch.no_grad():
            fwd = timeit(lambda: spec(x), cfg[kind].get("reps", 5))
            S = spec(x)[0].numpy()

        def fb_step():
            w = x.clone().requires_grad_(True)
            spec(w).sum().backward()
            return w.grad

        bwd = timeit(fb_step, cfg[kind].get("reps", 5))
        out[kind] = {"forward_ms": fwd, "grad_ms": bwd, "shape": list(S.shape), "first": S[len(S) // 2].tolist()}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
