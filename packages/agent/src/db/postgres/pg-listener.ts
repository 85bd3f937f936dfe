// Wake-ups after commits captured by triggers: LISTEN on the channel the capture functions NOTIFY.
// A lost listener is re-created after a second; meanwhile the sender's iteration pause polls.
import { Client, type PoolConfig } from 'pg';
import { NOTIFY_CHANNEL } from './pg-sql';

export class PgListener {
  private listener: Client | null = null;

  constructor(
    private readonly config: PoolConfig,
    private readonly fire: () => void,
    private readonly wanted: () => boolean,
  ) {}

  start(): void {
    if (!this.listener) void this.listen();
  }

  private async listen(): Promise<void> {
    const client = new Client(this.config);
    this.listener = client;
    client.on('notification', () => this.fire());
    client.on('error', () => this.relisten(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch {
      this.relisten(client);
    }
  }

  private relisten(client: Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    void client.end().catch(() => {});
    if (this.wanted()) setTimeout(() => this.wanted() && !this.listener && void this.listen(), 1000).unref();
  }

  stop(): void {
    const l = this.listener;
    this.listener = null;
    void l?.end().catch(() => {});
  }
}
