import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../platform/shared-data.ts';
import { type Io, runEval } from './cli-commands.ts';

describe('sentiment on real airline-customer tweets', () => {
  it('5-fold cross-validated macro-F1 of the default classifier (earshot eval --folds 5)', async () => {
    let out = '';
    const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } };
    const report = await runEval(
      {
        task: 'sentiment',
        input: sharedDataPath('airline-sentiment-dev.csv'),
        textColumn: 'text',
        labelColumn: 'airline_sentiment',
        folds: 5,
      },
      undefined,
      io,
    );
    expect(report.examples).toBe(7239);
    expect(out.trim().split('\n').at(-1)).toMatch(/^macro-F1 0\.\d{3}$/);
    // Measured 0.775 (accuracy 0.822); TF-IDF + LR is 0.66–0.71, always-negative 0.256.
    // The 0.80 target is not reached: see docs/adr/0003-triage-classifier.md.
    expect(report.macroF1).toBeGreaterThan(0.76);
    expect(report.accuracy).toBeGreaterThan(0.81);
  }, 300_000); // ~15 s of CPU; the generous limit is for loaded CI machines
});
