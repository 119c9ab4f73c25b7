package storage

// PartialPrefix lets the contract tests leave a partial write behind as a crash would.
const PartialPrefix = partialPrefix
