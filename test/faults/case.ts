/**
 * One fault or abuse case of the reliability suite: what is done to credwatch, what must happen,
 * and the test that asserts it. `docs/reliability.md` is generated from these lists
 * (`npm run docs`), and `catalogue.test.ts` checks that every named test exists, so the page
 * cannot promise a case nobody tests.
 */
export interface FaultCase {
  /** What is injected or attempted, in a reader's words. */
  readonly fault: string;
  /** What credwatch must do (and never do). */
  readonly expected: string;
  /** The test asserting it: the file from the repository root and the test's exact title (as quoted in the file). */
  readonly test: { readonly file: string; readonly name: string };
}

export interface FaultArea {
  readonly title: string;
  /** One sentence: where these faults come from. */
  readonly intro: string;
  readonly cases: readonly FaultCase[];
}
