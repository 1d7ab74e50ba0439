// Filled in by its own change; exported from index.ts already.
export {};
