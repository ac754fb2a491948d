import type { RandomSource } from '../../src/lib/random';
import type { Wire } from './wire';

/** A file of the batch: real bytes; `oversized` ones claim 501 MB (the wire carries their claimed size). */
export interface BenchFile {
  name: string;
  file: File;
  oversized: boolean;
}

export interface PolicyContext {
  wire: Wire;
  /** The key as the operator last gave it. */
  key: () => string;
  random: RandomSource;
}

export interface PolicyRun {
  start(files: BenchFile[]): Promise<void>;
  /** Every upload either given up or accepted with its job seen completed or failed. */
  settled(): boolean;
  /** Uploads the client stopped trying, of those it tried. */
  givenUp(): number;
  /** Files it refused before sending, saying why. */
  refusedBeforeSending(): number;
  /** The operator pasted a new key (the context's `key` returns it now). */
  keyProvided(): void;
  /** Real asynchronous work under way (hashing): the driver lets it finish before time moves. */
  busy(): boolean;
  stop(): void;
}

export interface Policy {
  name: string;
  description: string;
  create(context: PolicyContext): PolicyRun;
}
