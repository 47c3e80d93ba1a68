/** A plausible kubeseal ciphertext (base64 of 600 bytes), deterministic per seed. */
export function fakeCiphertext(seed = 1): string {
  return Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 31 + seed) % 256)).toString('base64');
}
