// Send order without commit round trips. Messages one device sends into one
// conversation must be stored in the order it sent them. Waiting for each
// commit before starting the next send would keep that order, but would let
// a device store only one message per commit round trip, and any stall (a
// checkpoint, a GC pause) would then build a queue that drains one commit at
// a time. Instead a send waits only until the send before it has taken its
// place in the group-commit queue: the writer stores its queue in order, one
// batch after the other, so queue order is seq order, and a fast sender's
// messages share commits.

/** One send's place in its lane. */
export interface Turn {
  /** Resolves when every earlier send of the lane is queued for commit (or has failed). */
  readonly previous: Promise<void>;
  /** This send is queued, or has failed before it could be: the next one may go. Idempotent. */
  release(): void;
}

export class SendLane {
  #tail: Promise<void> = Promise.resolve();
  #open = 0;

  /** Takes the next turn; its sends are queued in the order turns were taken. */
  take(): Turn {
    const previous = this.#tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    // The next turn waits for this one and, through it, for every earlier one,
    // so a send that fails early never lets a later one overtake a slow one.
    this.#tail = previous.then(() => mine);
    this.#open += 1;
    let released = false;
    return {
      previous,
      release: () => {
        if (released) return;
        released = true;
        this.#open -= 1;
        release();
      },
    };
  }

  /** True when no turn is outstanding (the lane can be forgotten). */
  get idle(): boolean {
    return this.#open === 0;
  }
}
