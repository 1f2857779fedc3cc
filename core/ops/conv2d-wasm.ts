/**
 * conv2d's passes on the WebAssembly SIMD kernels (wasm/conv2d.as.ts): copies the operands into the module's
 * memory, runs the pass there, copies the result out. Same routing as conv2d-gemm.ts, whose TypeScript stays the
 * readable definition: the stride-1 input gradient is a forward pass with the kernel rotated and its channel
 * axes swapped; other strides go through Wᵀ·gy and col2im.
 */
import type { ConvShape } from './conv2d-gemm';
import { Arena } from './wasm/arena';
import type { WasmKernels } from './wasm/kernels';
import { floats } from './floats';

let arena: Arena | null = null;
let arenaOf: WasmKernels | null = null;

function arenaFor(k: WasmKernels): Arena {
  if (arenaOf !== k) {
    arena = new Arena(k);
    arenaOf = k;
  }
  arena!.reset();
  return arena!;
}

function setGeometry(k: WasmKernels, s: ConvShape): void {
  k.setGeometry(s.n, s.cin, s.h, s.w, s.cout, s.kh, s.kw, s.sh, s.sw, s.ph, s.pw, s.dh, s.dw, s.oh, s.ow);
}

/**
 * y = conv(x, w) + bias over the whole batch; `w` OIHW (already rotated for true convolution). `direct` (few
 * output channels, see conv2d.ts's useDirect) takes the padded-plane loops instead of 4-row panels.
 */
export function forwardWasm(k: WasmKernels, s: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
  direct: boolean): void {
  const a = arenaFor(k);
  setGeometry(k, s);
  const px = a.put(x), pw = a.put(w), pb = bias === null ? 0 : a.put(bias);
  const py = a.take(y.length), scratch = a.take(direct ? k.directScratch() : k.forwardScratch());
  if (direct) k.forwardDirect(px, pw, pb, py, scratch);
  else k.forward(px, pw, pb, py, scratch);
  y.set(a.view(py, y.length));
}

/** Weight gradient gw[co, k] = Σ gy·patch (the bias gradient stays in TypeScript: one pass over gy). */
export function weightGradWasm(k: WasmKernels, s: ConvShape, x: Float32Array, gy: Float32Array, gw: Float32Array, direct: boolean): void {
  const a = arenaFor(k);
  setGeometry(k, s);
  const px = a.put(x), pg = a.put(gy), pw = a.take(gw.length), scratch = a.take(direct ? k.directScratch() : k.weightGradScratch());
  if (direct) k.weightGradDirect(px, pg, pw, scratch);
  else k.weightGrad(px, pg, pw, scratch);
  gw.set(a.view(pw, gw.length));
}

/** Input gradient gx = d(Σ y·gy)/dx; `direct` as for forwardWasm, with the input's channels as the rows. */
export function inputGradWasm(k: WasmKernels, s: ConvShape, w: Float32Array, gy: Float32Array, gx: Float32Array, direct: boolean): void {
  const { cin, cout, kh, kw } = s;
  const khw = kh * kw;
  if (s.sh === 1 && s.sw === 1 && s.h * s.w <= 1.3 * s.oh * s.ow) {
    // The kernel rotated 180° with its channel axes swapped: a forward pass over gy gives gx.
    const wt = floats(cin * cout * khw);
    for (let co = 0; co < cout; co++) {
      for (let ci = 0; ci < cin; ci++) {
        const src = (co * cin + ci) * khw, dst = (ci * cout + co) * khw;
        for (let i = 0; i < khw; i++) wt[dst + i] = w[src + khw - 1 - i];
      }
    }
    forwardWasm(k, {
      n: s.n, cin: cout, h: s.oh, w: s.ow, cout: cin, oh: s.h, ow: s.w, kh, kw, sh: 1, sw: 1,
      ph: s.dh * (kh - 1) - s.ph, pw: s.dw * (kw - 1) - s.pw, dh: s.dh, dw: s.dw,
    }, gy, wt, null, gx, direct);
    return;
  }
  const a = arenaFor(k);
  setGeometry(k, s);
  const pw = a.put(w), pg = a.put(gy), px = a.take(gx.length), scratch = a.take(k.inputGradScratch());
  k.inputGrad(pw, pg, px, scratch);
  gx.set(a.view(px, gx.length));
}
