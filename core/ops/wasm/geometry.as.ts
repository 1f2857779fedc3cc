/**
 * The sizes of the conv call under way, set once per call from JavaScript (see setGeometry in index.as.ts).
 * Plain globals, not an object: an object would be allocated on the heap the callers lay their buffers over.
 */
export let N: i32 = 0, CIN: i32 = 0, H: i32 = 0, W: i32 = 0, COUT: i32 = 0, KH: i32 = 0, KW: i32 = 0;
export let SH: i32 = 1, SW: i32 = 1, PH: i32 = 0, PW: i32 = 0, DH: i32 = 1, DW: i32 = 1, OH: i32 = 0, OW: i32 = 0;

export function setGeometry(n: i32, cin: i32, h: i32, w: i32, cout: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  N = n; CIN = cin; H = h; W = w; COUT = cout; KH = kh; KW = kw;
  SH = sh; SW = sw; PH = ph; PW = pw; DH = dh; DW = dw; OH = oh; OW = ow;
}
