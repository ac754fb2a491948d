// @vitest-environment jsdom
import fc from 'fast-check';
import { commandArbitraries, emptyFigures, type Figures, runJourney, setupModelHarness } from '../testing/model-journeys';

/**
 * Issue 13, item 9: sequences of what a person does (pick files, identical
 * bytes and files that are not audio among them, upload, cancel, Retry now,
 * open pages and job pages, reload, the key expiring and a new one entered)
 * mixed with what NovaPulse does (rate-limit storms, maintenance, flaky 500s,
 * stalled connections) and time passing, run against the real App over the
 * simulator. After each: every intent is one job or a refusal the person saw;
 * nothing was sent inside a Retry-After; background reads kept the budget;
 * no uncaught error; the queue drained once the simulator allowed.
 *
 * `npm test` runs a few sequences from a fixed seed; NOVAPULSE_MODEL_SEED
 * varies it, NOVAPULSE_MODEL_RUNS lengthens it (`npm run test:model` runs 500
 * and prints the closing figures), NOVAPULSE_MODEL_SHRINK=1 shrinks a failure.
 *
 * The counterexamples it found are replayed in journeys-regressions.test.tsx.
 */

const setup = setupModelHarness();
const RUNS = Number(process.env.NOVAPULSE_MODEL_RUNS ?? 3);
const SEED = Number(process.env.NOVAPULSE_MODEL_SEED ?? 1313);
const MAX_COMMANDS = Number(process.env.NOVAPULSE_MODEL_COMMANDS ?? 15);
const figures: Figures = emptyFigures();

/** From the first journey: the page code loads once before it. */
let startedAt = 0;
afterAll(() => {
  const seconds = (performance.now() - startedAt) / 1000;
  const rate = figures.sequences > 0 ? `, ${(seconds / figures.sequences).toFixed(1)} s a sequence` : '';
  console.info(
    `model journeys (seed ${SEED}): ${figures.sequences} sequences, ${figures.actions} actions run (${figures.skipped} found nothing to act on), ` +
      `${figures.intents} intents, ${figures.jobs} jobs, ${figures.faults} faults injected, ${figures.reloads} reloads, ` +
      `${figures.counterexamples} counterexamples found; ${seconds.toFixed(0)} s${rate}`,
  );
});

describe('journeys a person takes through the assembled console (model-based)', () => {
  it(`keep every promise over ${RUNS} generated sequences (seed ${SEED})`, { timeout: Math.max(60_000, RUNS * 60_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: MAX_COMMANDS, size: 'max', replayPath: process.env.NOVAPULSE_MODEL_REPLAY_PATH }), async (commands) => {
        startedAt ||= performance.now();
        const problems = await runJourney(setup, commands, figures);
        if (problems.length > 0) throw new Error(problems.join('\n'));
      }),
      // NOVAPULSE_MODEL_PATH replays one sequence of a run (fast-check prints the path of a failure).
      { numRuns: RUNS, seed: SEED, path: process.env.NOVAPULSE_MODEL_PATH, endOnFailure: process.env.NOVAPULSE_MODEL_SHRINK !== '1' },
    );
  });
});
