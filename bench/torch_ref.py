"""PyTorch CPU twins of the robustlens benchmark workloads (bench/run.ts), called by scripts/bench.mjs.

Usage: /usr/bin/python3 bench/torch_ref.py <workload> [--threads N] [--reps N] [--lime-samples N]
Prints one line: BENCH_RESULT {"workload", "ms" (median), "msAll", "maxRssMB", "torch", "threads"}
or {"skip": reason} when torch is not importable. Shapes, architectures, batch sizes, step counts
and seeds match bench/run.ts; weights are torch's own (seeded) initialisation.
"""
import json
import resource
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print("BENCH_RESULT " + json.dumps({"skip": f"torch not importable: {e}"}))
    sys.exit(0)

SEED = 1


def small_cnn():
    """conv3x3x16 same + relu, pool 2, conv3x3x32 same + relu, pool 2, dense 10 (robustlens smallCnn hidden 0)."""
    torch.manual_seed(SEED)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )


def singing_voice_cnn():
    """models.singingVoiceCnn width 1 on 115x80 (eval mode: dropout off)."""
    torch.manual_seed(SEED)
    lr = lambda: nn.LeakyReLU(0.01)
    return nn.Sequential(
        nn.Conv2d(1, 64, 3), lr(), nn.Conv2d(64, 32, 3), lr(), nn.MaxPool2d(3),
        nn.Conv2d(32, 128, 3), lr(), nn.Conv2d(128, 64, 3), lr(), nn.MaxPool2d(3),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 11 * 7, 256), lr(),
        nn.Dropout(0.5), nn.Linear(256, 64), lr(), nn.Dropout(0.5), nn.Linear(64, 1), nn.Sigmoid(),
    ).eval()


class MerCnn(nn.Module):
    """models.merCnn head A2M2E, width 1/8, 128x149 input: conv-BN-ReLU blocks, 'same' padding."""

    def __init__(self, w=1 / 8):
        super().__init__()
        c = lambda n: max(1, round(n * w))

        def block(i, o, k, s=1):
            # TF 'same' for 5x5 stride 2 on even sizes pads 1 top / 2 bottom; symmetric 2 gives the same shape
            return [nn.Conv2d(i, o, k, s, padding=k // 2, bias=False), nn.BatchNorm2d(o), nn.ReLU()]

        layers = block(1, c(64), 5, 2) + block(c(64), c(64), 3) + [nn.MaxPool2d(2), nn.Dropout(0.3)]
        layers += block(c(64), c(128), 3) + block(c(128), c(128), 3) + [nn.MaxPool2d(2), nn.Dropout(0.3)]
        layers += block(c(128), c(256), 3) + block(c(256), c(256), 3) + block(c(256), c(384), 3)
        layers += block(c(384), c(512), 3) + block(c(512), c(256), 1)
        self.body = nn.Sequential(*layers)
        self.mid = nn.Linear(c(256), 7)
        self.emo = nn.Linear(7, 8)

    def forward(self, x):
        h = self.body(x).mean((2, 3))
        m = self.mid(h)
        return torch.cat([self.emo(m), m], 1)


def cnn_adam():
    model = small_cnn()
    g = torch.Generator().manual_seed(SEED)
    x = torch.rand(64, 1, 28, 28, generator=g)
    y = torch.arange(64) % 10
    opt = torch.optim.Adam(model.parameters(), 1e-3)

    def run():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    return run, 3, 15


def pgd10():
    model = small_cnn().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    g = torch.Generator().manual_seed(SEED)
    x = torch.rand(64, 1, 28, 28, generator=g)
    y = torch.arange(64) % 10
    eps, steps = 0.3, 10
    alpha = 2.5 * eps / steps

    def run():
        delta = (torch.rand(x.shape, generator=g) * 2 - 1) * eps
        delta = (x + delta).clamp(0, 1) - x
        for _ in range(steps):
            delta.requires_grad_(True)
            loss = F.cross_entropy(model(x + delta), y, reduction="sum")
            (grad,) = torch.autograd.grad(loss, delta)
            with torch.no_grad():
                delta = (delta + alpha * grad.sign()).clamp(-eps, eps)
                delta = (x + delta).clamp(0, 1) - x
        with torch.no_grad():
            x_adv = x + delta
            success = model(x_adv).argmax(1) != y
            linf = delta.abs().flatten(1).amax(1)
            l2 = delta.flatten(1).norm(dim=1)
            (success.sum() + linf.sum() + l2.sum()).item()

    return run, 1, 5


def path_ig(boundary, trapezoid):
    model = small_cnn().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    g = torch.Generator().manual_seed(SEED)
    x = torch.rand(16, 1, 28, 28, generator=g)
    base = (x + 0.1 * torch.randn(x.shape, generator=g)).clamp(0, 1) if boundary else torch.zeros_like(x)
    target = torch.arange(16) % 10
    steps, batch = 50, 64
    if trapezoid:
        alphas = torch.linspace(0, 1, steps + 1)
        weights = torch.full((steps + 1,), 1.0 / steps)
        weights[0] = weights[-1] = 0.5 / steps
    else:
        alphas = (torch.arange(steps) + 0.5) / steps
        weights = torch.full((steps,), 1.0 / steps)
    A = len(alphas)

    def run():
        # rows ordered (example, alpha), batched like straightPathGradients
        rows = base[:, None] + alphas[None, :, None, None, None] * (x - base)[:, None]  # [16, A, 1, 28, 28]
        rows = rows.reshape(16 * A, 1, 28, 28)
        t = target.repeat_interleave(A)
        wts = weights.repeat(16)
        grads = torch.empty_like(rows)
        for i in range(0, len(rows), batch):
            r = rows[i:i + batch].clone().requires_grad_(True)
            out = model(r).gather(1, t[i:i + batch, None]).squeeze(1)
            (gr,) = torch.autograd.grad((out * wts[i:i + batch]).sum(), r)
            grads[i:i + batch] = gr
        avg = grads.reshape(16, A, 1, 28, 28).sum(1)
        attr = (x - base) * avg
        with torch.no_grad():
            fx = model(x).gather(1, target[:, None]).squeeze(1)
            fb = model(base).gather(1, target[:, None]).squeeze(1)
            gap = attr.flatten(1).sum(1) - (fx - fb)
        gap.sum().item()

    return run, 1, 5


def lime(samples):
    model = singing_voice_cnn()
    g = torch.Generator().manual_seed(SEED)
    x = torch.randn(1, 1, 115, 80, generator=g)
    # audioTimeFreqGrid(115, 80): 5 time x 4 frequency blocks
    t_idx = torch.clamp((torch.arange(115) * 5) // 115, max=4)
    f_idx = torch.clamp((torch.arange(80) * 4) // 80, max=3)
    labels = (t_idx[:, None] * 4 + f_idx[None, :]).flatten()
    S = 20
    off = x.mean()
    rng = np.random.default_rng(SEED)

    def run():
        Z = (rng.random((samples, S)) < 0.5).astype(np.float32)
        Z[0] = 1
        Zt = torch.from_numpy(Z)
        y = np.empty(samples, np.float32)
        with torch.no_grad():
            for i in range(0, samples, 256):
                mask = Zt[i:i + 256][:, labels].reshape(-1, 1, 115, 80)
                y[i:i + 256] = model(off + (x - off) * mask)[:, 0].numpy()
        # weighted ridge (alpha 1, unpenalised intercept), kernel width 0.25 on cosine distance
        d = 1 - np.sqrt(Z.sum(1) / S)
        w = np.sqrt(np.exp(-(d ** 2) / 0.25 ** 2))
        sw = w.sum()
        xm = (w[:, None] * Z).sum(0) / sw
        ym = (w * y).sum() / sw
        Xc, yc = Z - xm, y - ym
        A = (Xc * w[:, None]).T @ Xc + np.eye(S)
        coef = np.linalg.solve(A, (Xc * w[:, None]).T @ yc)
        float(coef.sum())

    # scaled to 8192 samples like bench/run.ts
    return run, 0, 1, samples / 8192


def mer_epoch():
    torch.manual_seed(SEED)
    model = MerCnn().train()
    g = torch.Generator().manual_seed(SEED)
    x = torch.randn(288, 1, 128, 149, generator=g)
    y = torch.rand(288, 15, generator=g)
    opt = torch.optim.Adam(model.parameters(), 1e-3)

    def epoch(n=288):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, 8):
            idx = perm[i:i + 8]
            opt.zero_grad()
            out = model(x[idx])
            loss = 0.5 * F.mse_loss(out[:, :8], y[idx, :8]) + 0.5 * F.mse_loss(out[:, 8:], y[idx, 8:])
            loss.backward()
            opt.step()
        loss.item()

    epoch(32)  # warm-up on 4 batches, like bench/run.ts
    return epoch, 0, 1


def spectrogram(grad):
    """P1's log-filtered spectrogram of the 30 s clip: torch.stft (symmetric Hann, centred, zero
    padding) -> |X| -> filterbank -> log10(1 + .); signal, filterbank and config written by
    bench/run.ts into BENCH_AUDIO_DIR (the workloads spectrogram*). grad: forward + gradient to the
    waveform (the differentiable path's work), else forward without autograd."""
    import os
    d = os.environ.get("BENCH_AUDIO_DIR")
    if not d or not os.path.exists(f"{d}/config.json"):
        raise SystemExit("torch_ref.py spectrogram: BENCH_AUDIO_DIR with signal.f32, fb.f32, config.json needed (bench/run.ts spectrogram writes them)")
    c = json.load(open(f"{d}/config.json"))
    x = torch.from_numpy(np.fromfile(f"{d}/signal.f32", dtype=np.float32))[None]
    fb = torch.from_numpy(np.fromfile(f"{d}/fb.f32", dtype=np.float32).reshape(c["bins"], c["bands"]))
    win = torch.hann_window(c["nFft"], periodic=False)

    def spec(w):
        X = torch.stft(w, c["nFft"], hop_length=c["hop"], window=win, center=c["center"], pad_mode="constant", return_complex=True)
        S = X.abs().transpose(1, 2) @ fb
        return torch.log1p(S) / np.log(10) if c["log"] == "log10" else torch.log1p(S)

    def fwd():
        with torch.no_grad():
            float(spec(x)[0, 0, 0])

    def fwd_grad():
        w = x.clone().requires_grad_(True)
        spec(w).sum().backward()
        float(w.grad[0, 0])

    return (fwd_grad if grad else fwd), 1, 3


def info():
    """What torch computes with: version, BLAS (and OpenBLAS' core kernel), oneDNN, threads, CPU
    capability; the OPENBLAS_* variables this process sees (scripts/bench.mjs unsets
    OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for torch)."""
    import ctypes
    import os
    torch.set_num_threads(2)
    a = torch.randn(256, 256)
    (a @ a).sum().item()  # loads the BLAS
    out = {"torch": torch.__version__, "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}}
    cfg = torch.__config__.show()
    out["config"] = [l.strip() for l in cfg.split("\n") if any(k in l for k in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP", "MKL", "oneDNN", "CPU capability", "BUILD_TYPE"))]
    out["parallel"] = [l.strip() for l in torch.__config__.parallel_info().split("\n") if l.strip() and not l.startswith("---")]
    try:
        out["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
    except Exception:
        pass
    out["mkldnn_available"] = torch.backends.mkldnn.is_available()
    libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if any(k in l for k in ("blas", "mkl", "dnnl", "gomp", "omp"))})
    out["libraries"] = libs
    for lib in libs:
        if "openblas" in lib:
            try:
                ob = ctypes.CDLL(lib)
                for fn in ("openblas_get_config", "openblas_get_corename"):
                    f = getattr(ob, fn, None)
                    if f:
                        f.restype = ctypes.c_char_p
                        out[fn] = f().decode()
                f = getattr(ob, "openblas_get_num_threads", None)
                if f:
                    out["openblas_threads"] = f()
            except OSError:
                pass
    print("BENCH_RESULT " + json.dumps(out))


WORKLOADS = {
    "spectrogram": lambda: spectrogram(False),
    "spectrogram_diff": lambda: spectrogram(False),
    "spectrogram_grad": lambda: spectrogram(True),
    "cnn_adam": cnn_adam,
    "pgd10": pgd10,
    "ig50": lambda: path_ig(False, False),
    "big50": lambda: path_ig(True, True),
    "lime8192": None,  # needs --lime-samples
    "mer_epoch": mer_epoch,
}


def main(argv):
    name = argv[0]
    if name == "info":
        return info()
    opt = lambda flag, d: type(d)(argv[argv.index(flag) + 1]) if flag in argv else d
    threads = opt("--threads", 2)
    torch.set_num_threads(threads)
    torch.manual_seed(SEED)
    if name == "lime8192":
        spec = lime(opt("--lime-samples", 1024))
    elif name in WORKLOADS:
        spec = WORKLOADS[name]()
    else:
        raise SystemExit(f"torch_ref.py: unknown workload {name}")
    run, warmup, reps = spec[:3]
    per = spec[3] if len(spec) > 3 else 1
    reps = opt("--reps", reps)
    for _ in range(warmup):
        run()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000 / per)
    out = {
        "workload": name,
        "ms": float(np.median(times)),
        "msAll": [round(t, 1) for t in times],
        "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    print("BENCH_RESULT " + json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
