// A transport for unit tests: records what it is given, fails while told to.
import type { Message } from './message';
import type { Transport } from './transport';

export class FakeTransport implements Transport {
  readonly sent: Message[] = [];
  /** While set, send rejects with this reason. */
  failWith: string | undefined;

  constructor(
    readonly name = 'fake',
    readonly target = `fake transport ${name}`,
  ) {}

  send(m: Message): Promise<string> {
    if (this.failWith !== undefined) return Promise.reject(new Error(this.failWith));
    this.sent.push(m);
    return Promise.resolve('250 accepted');
  }
}
