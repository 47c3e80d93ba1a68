// fast-check 4's declarations import pure-rand through its package "exports" map, which TypeScript only
// resolves with moduleResolution node16 or later; the projen-managed tsconfig uses node10. These two
// ambient modules let the type check of test/ resolve them (the random generators stay opaque).
declare module 'pure-rand/types/RandomGenerator' {
  export type RandomGenerator = any;
}
declare module 'pure-rand/types/JumpableRandomGenerator' {
  export type JumpableRandomGenerator = any;
}
