/**
 * A mistake in how the import was asked for (a column that is not in the file, an encoding
 * that does not fit, a file that exists without --force): one line, exit code 2, nothing written.
 */
export class ImportUsageError extends Error {}
