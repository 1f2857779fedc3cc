/** The named limits the ONNX reader checks before it reads, parses or allocates anything. */
export const MODEL_LIMITS = {
  /** Largest model file (and largest bytes given to the parser): ResNet-50 is ~100 MB, VGG-16 ~530 MB. */
  modelBytes: 600 * 1024 * 1024,
  /** Largest single tensor, from its dims' product × element size, before it is allocated. */
  tensorBytes: 512 * 1024 * 1024,
  /** Largest sum of all tensors' bytes (initializers, Constant values, external data). */
  totalTensorBytes: 1024 * 1024 * 1024,
  /** Most nodes in one graph (DenseNet-201 has ~700; exported transformers reach a few thousand). */
  nodes: 20_000,
  /** Most dimensions of one tensor. */
  rank: 8,
} as const;

/** ONNX's default operator-set versions the reader accepts (Debian's PyTorch 1.13 exports 7 to 17). */
export const SUPPORTED_OPSETS = { min: 7, max: 22 } as const;

/** The only operator-set domains the reader accepts: '' and 'ai.onnx' both name ONNX's default set. */
export const SUPPORTED_DOMAINS: readonly string[] = ['', 'ai.onnx'];
