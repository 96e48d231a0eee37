/**
 * One contact's sends before the range's end, with their time, step and variant (-1: none). Kept flat, three
 * numbers a send, because a million events make hundreds of thousands of them; read them through the
 * accessors, by the send's position.
 */
export class Sends {
  private readonly flat: number[] = [];

  get count(): number {
    return this.flat.length / 3;
  }
  at(i: number): number {
    return this.flat[i * 3]!;
  }
  step(i: number): number {
    return this.flat[i * 3 + 1]!;
  }
  variant(i: number): number {
    return this.flat[i * 3 + 2]!;
  }

  /**
   * Deterministic ids make a repeated id the same happening: a repeated send has the same time and step, so
   * it is dropped here, per contact, which is cheaper than a set of a million ids.
   */
  add(at: number, step: number, variant: number): void {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 3) if (flat[i] === at && flat[i + 1] === step) return;
    flat.push(at, step, variant);
  }

  /** The step of the last email sent at or before `at` (the later step of two sent together), or -1. */
  lastStepAt(at: number): number {
    let best = -Infinity;
    let step = -1;
    for (let i = 0; i < this.count; i++) {
      const t = this.at(i);
      const s = this.step(i);
      if (t <= at && (t > best || (t === best && s > step))) {
        best = t;
        step = s;
      }
    }
    return step;
  }
}
